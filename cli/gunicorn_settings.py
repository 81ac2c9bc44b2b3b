"""Gunicorn's own reading of a command line (and its config file), as JSON.

    /usr/bin/python3 gunicorn_settings.py [GUNICORN ARGS ...]

The arguments are what follows `gunicorn` on its command line (`-c FILE` for a config file).
Gunicorn's Application.load_config does the work, so the precedence is Gunicorn's
(gunicorn/app/base.py:155-200: the config file, then GUNICORN_CMD_ARGS, then the command
line; ./gunicorn.conf.py when no -c is given) and so are the defaults and the validation
(gunicorn/config.py). A config file is Python and runs, as it does under Gunicorn.

Prints one object: {"gunicorn_version", "app", "worker_class_path", "settings": {name:
{"value", "explicit", "cli"}}}, `explicit` being whether the command line, the environment
or a config file set it (Config.set) rather than Gunicorn's default. On a bad command line
argparse exits 2, and a bad value or config file exits 1, each with Gunicorn's message on
stderr.
"""

import json
import sys

import gunicorn
from gunicorn.app.base import Application
from gunicorn.config import Config
from gunicorn.workers import SUPPORTED_WORKERS


class RecordingConfig(Config):
    """Config that remembers which settings were set, not left at their default."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        object.__setattr__(self, "explicit", set())

    def set(self, name, value):
        super().set(name, value)
        self.explicit.add(name)


class SettingsReader(Application):
    """Loads the configuration as `gunicorn` would, without loading the app."""

    app = None

    def load_default_config(self):
        self.cfg = RecordingConfig(self.usage, prog=self.prog)

    def init(self, parser, opts, args):
        # WSGIApplication.init takes the first positional word as the app
        # (gunicorn/app/wsgiapp.py:34-36).
        self.app = args[0] if args else None

    def load(self):
        raise NotImplementedError("the app is never loaded")


def plain(value):
    """A setting's value as JSON can hold it: hooks by name, as Config.__str__ prints them."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if callable(value):
        return "<{}()>".format(getattr(value, "__qualname__", type(value).__name__))
    return str(value)


def main():
    sys.argv = ["gunicorn"] + sys.argv[1:]
    reader = SettingsReader("%(prog)s [OPTIONS] [APP_MODULE]", prog="gunicorn")
    cfg = reader.cfg
    settings = {}
    for name in sorted(cfg.settings):
        setting = cfg.settings[name]
        settings[name] = {
            "value": plain(setting.get()),
            "explicit": name in cfg.explicit,
            "cli": list(setting.cli or []),
        }
    worker_class = cfg.settings["worker_class"].get()
    path = SUPPORTED_WORKERS.get(worker_class, worker_class) if isinstance(worker_class, str) else plain(worker_class)
    json.dump({
        "gunicorn_version": gunicorn.__version__,
        "app": reader.app if reader.app is not None else cfg.wsgi_app,
        "worker_class_path": path,
        "settings": settings,
    }, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
