"""What the user gave is wrong: a file, a value, a path, a setting. The command line prints
such an error's message alone, as one line; any other exception is a bug in the engine,
and it gets its traceback."""


class UserError(ValueError):
    """Something the user gave cannot be used; the message names it and says why.
    (A ValueError, so code that refuses bad values by catching ValueError refuses these too.)"""
