// The participation page: preview a smile as you type, send it, and share how you feel.
// Small on purpose: a festival's network is slow. Who a visitor is, the server says (a cookie it signs).
const form = document.getElementById("glyph");
const text = document.getElementById("text");
const preview = document.getElementById("preview");
const send = document.getElementById("send");
const status = document.getElementById("status");
const kind = () => form.querySelector("input[name=kind]:checked").value;
let typing, shown = "";

async function post(path, body) {
  const response = await fetch(path, {method: "POST", headers: {"Content-Type": "application/json"},
                                      body: JSON.stringify(body)});
  return response;
}

async function show() {
  const words = text.value.trim();
  if (words + "\n" + kind() === shown) return;  // already drawn: sending it must not wait
  shown = words + "\n" + kind();
  send.disabled = true;
  if (!words) { preview.hidden = true; status.textContent = ""; return; }
  const response = await post("/api/glyph", {text: words, kind: kind()});
  if (response.ok) {
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.src = URL.createObjectURL(await response.blob());
    preview.hidden = false;
    send.disabled = false;
    status.textContent = "";
  } else {
    shown = "";  // not drawn: the same words may be tried again
    status.textContent = (await response.json()).error || "try other words";
  }
}

text.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(show, 400); });
for (const choice of form.querySelectorAll("input[name=kind]")) choice.addEventListener("change", show);
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  send.disabled = true;
  const response = await post("/api/send", {text: text.value.trim(), kind: kind()});
  const answer = await response.json();
  status.textContent = answer.status || answer.error;
  if (!response.ok) send.disabled = false;
});

let feeling;
document.getElementById("feelings").addEventListener("input", () => {
  clearTimeout(feeling);
  feeling = setTimeout(() => {
    const feelings = {};
    for (const slider of document.querySelectorAll("#feelings input")) feelings[slider.name] = Number(slider.value);
    post("/api/feel", {feelings});
  }, 150);
});
