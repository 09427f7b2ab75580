"""DMX lights that follow the picture: a fixtures file, a GPU sampler, an sACN sender."""
