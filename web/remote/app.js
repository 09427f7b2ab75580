// The operator's remote: every parameter of the show as a control, built from its OSCQuery
// nodes; changes go to the show over a WebSocket, and its values, HUD and preview come back.
const token = new URLSearchParams(location.search).get("token") || "";
const q = `token=${encodeURIComponent(token)}`;
const $ = (id) => document.getElementById(id);
const controls = {};  // address -> {node, set(value)}
let socket;
const pending = new Map();  // address -> its latest change, made while the socket was not open

function send(address, args) {
  const message = JSON.stringify({address, args});
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(message);
  else pending.set(address, message);  // sent once it opens: no change of the operator's is lost
}

function control(node) {
  const row = document.createElement("label");
  row.className = "param";
  row.title = node.DESCRIPTION;
  row.append(node.FULL_PATH.split("/").slice(2).join(" "));
  const range = (node.RANGE || [{}])[0];
  const readOnly = node.ACCESS === 1;
  let input, set;
  if (node.TYPE === "f" || node.TYPE === "i") {
    input = Object.assign(document.createElement("input"), {type: "range", min: range.MIN, max: range.MAX,
      step: node.TYPE === "i" ? 1 : (range.MAX - range.MIN) / 500});
    const shown = document.createElement("output");
    set = (v) => { if (document.activeElement !== input) input.value = v[0]; shown.value = Number(v[0]).toFixed(node.TYPE === "i" ? 0 : 2); };
    input.oninput = () => { shown.value = input.value; send(node.FULL_PATH, [node.TYPE === "i" ? Math.round(input.value) : Number(input.value)]); };
    row.append(input, shown);
  } else if (node.TYPE === "T") {
    input = Object.assign(document.createElement("input"), {type: "checkbox"});
    set = (v) => { input.checked = !!v[0]; };
    input.onchange = () => send(node.FULL_PATH, [input.checked]);
    row.append(input);
  } else if (node.TYPE === "s" && range.VALS) {
    input = document.createElement("select");
    for (const choice of range.VALS) input.append(new Option(choice, choice));
    set = (v) => { input.value = v[0]; };
    input.onchange = () => send(node.FULL_PATH, [input.value]);
    row.append(input);
  } else if (node.TYPE === "r") {
    input = Object.assign(document.createElement("input"), {type: "color"});
    set = (v) => { if (document.activeElement !== input) input.value = String(v[0]).slice(0, 7); };
    input.oninput = () => send(node.FULL_PATH, [input.value]);
    row.append(input);
  } else if (node.TYPE === "ff") {
    const xy = [0, 1].map(() => Object.assign(document.createElement("input"), {type: "number", step: 0.01}));
    set = (v) => xy.forEach((box, i) => { if (document.activeElement !== box) box.value = Number(v[i]).toFixed(3); });
    xy.forEach((box) => box.onchange = () => send(node.FULL_PATH, xy.map((b) => Number(b.value))));
    row.append(...xy);
    input = xy[0];
  } else if (node.TYPE === "I") {
    input = Object.assign(document.createElement("button"), {type: "button", textContent: "fire"});
    set = () => {};
    input.onclick = () => send(node.FULL_PATH, [true]);
    row.append(input);
  } else {
    return null;
  }
  if (readOnly) row.querySelectorAll("input, select, button").forEach((i) => i.disabled = true);
  input.dataset.address = node.FULL_PATH;
  return {row, set};
}

function build(state) {
  const groups = {};
  $("params").replaceChildren();
  for (const node of state.nodes) {
    const made = control(node);
    if (!made) continue;
    controls[node.FULL_PATH] = made;
    const group = node.FULL_PATH.split("/")[1];
    if (!groups[group]) {
      const box = document.createElement("details");
      box.open = ["swarm", "emotion", "glitch"].includes(group);
      box.append(Object.assign(document.createElement("summary"), {textContent: group}));
      groups[group] = box;
      $("params").append(box);
    }
    groups[group].append(made.row);
    made.set(node.VALUE);
  }
  $("fault").replaceChildren(...state.faults.map((kind) => new Option(kind)));
  $("scene").replaceChildren(...state.scenes.map((name) => new Option(name)));
  $("cues").replaceChildren(...state.cues.map((name) => Object.assign(document.createElement("button"),
    {textContent: `cue ${name}`, onclick: () => send("/cue", [name])})));
  update({values: state.values, hud: state.hud, waiting: state.waiting});
}

function update(news) {
  for (const [address, value] of Object.entries(news.values || {})) {
    if (controls[address]) controls[address].set(value);
    const toggle = document.querySelector(`[data-toggle="${address}"]`);
    if (toggle) toggle.classList.toggle("on", !!value[0]);
  }
  if (news.hud) $("hud").textContent = news.hud.join("\n");
  if (news.waiting) {
    if (page && news.waiting.page !== page) turn(page);  // the list changed: read the page the operator is on again
    else showWaiting(news.waiting);
  }
  if (news.preview) $("preview").src = `/remote/preview.jpg?${q}&t=${Date.now()}`;
}

let page = 0;  // the page of the waiting list on show; the show sends the first, the others are asked for

function showWaiting(waiting) {
  page = waiting.page;
  $("waiting").hidden = !waiting.total;
  $("waiting-count").textContent = `${waiting.total} waiting, page ${waiting.page + 1} of ${Math.max(1, Math.ceil(waiting.total / waiting.size))}`;
  $("waiting").querySelector("ul").replaceChildren(...waiting.items.map(([number, kind, text]) => {
    const item = document.createElement("li");
    item.append(`${kind}: ${text} `);  // text, never markup
    for (const [word, address] of [["let it on", "/audience/approve"], ["keep it off", "/audience/reject"]]) {
      item.append(Object.assign(document.createElement("button"), {textContent: word, onclick: () => send(address, [number])}));
    }
    return item;
  }));
  $("earlier").disabled = waiting.page === 0;
  $("later").disabled = (waiting.page + 1) * waiting.size >= waiting.total;
}

async function turn(to) {
  const answer = await fetch(`/remote/waiting?${q}&page=${Math.max(0, to)}`);
  if (answer.ok) showWaiting(await answer.json());
}

$("earlier").onclick = () => turn(page - 1);
$("later").onclick = () => turn(page + 1);
$("reject-all").onclick = () => { if (confirm("Keep every waiting name and story off the wall?")) send("/audience/reject_all", []); };

for (const button of document.querySelectorAll("[data-toggle]")) {
  button.onclick = () => send(button.dataset.toggle, [!button.classList.contains("on")]);
}
$("fire").onclick = () => send("/glitch/trigger", [$("fault").value, 0.8, 0.8]);
$("go").onclick = () => send("/scene/go", [$("scene").value, 4.0]);

async function connect() {
  const answer = await fetch(`/remote/state?${q}`);
  if (!answer.ok) { $("error").textContent = (await answer.json()).error; return; }
  build(await answer.json());
  socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/remote/ws?${q}`);
  socket.onopen = () => { pending.forEach((message) => socket.send(message)); pending.clear(); };
  socket.onmessage = (event) => {
    const news = JSON.parse(event.data);
    if (news.error) $("error").textContent = news.error;
    else if (news.schema) fetch(`/remote/state?${q}`).then((r) => r.json()).then(build);
    else update(news);
  };
  socket.onclose = () => setTimeout(connect, 2000);  // the show restarted, or the network blinked
}
connect();
