"""Shared helpers of the notebooks: run the built `workersim`, read the committed runs files
and the calibration profile, label and save figures.

The notebooks call the CLI rather than re-implementing anything, so what they plot is what a
user gets from `workersim predict`/`recommend`/`sweep`. Every call passes the committed
profile (calibrate/data/default-profile.json) explicitly, so the profile named on a plot is
the one that produced it even if the binary embeds an older copy.
"""

import json
import math
import os
import subprocess
from pathlib import Path

REPO = Path(os.environ.get("WORKERSIM_REPO", Path(__file__).resolve().parent.parent))
PROFILE_PATH = REPO / "calibrate" / "data" / "default-profile.json"
# The article's grid measured the article's way (scripts/measure-seed-runs.sh) first, then the harness's.
RUNS_CANDIDATES = [REPO / "calibrate" / "data" / f for f in ("seed-runs.jsonl", "full-runs.jsonl", "quick-runs.jsonl")]

# The seed article's three workloads, (io_pct, cpu_pct).
SEED_MIXES = [(100, 0), (0, 100), (90, 10)]
MIX_COLOURS = {(100, 0): "tab:blue", (0, 100): "tab:red", (90, 10): "tab:purple"}


def mix_label(io_pct, cpu_pct):
    if cpu_pct == 0:
        return "100% IO"
    if io_pct == 0:
        return "100% CPU"
    return f"{io_pct:g}% IO / {cpu_pct:g}% CPU"


# ---- the CLI -------------------------------------------------------------------------------

def workersim_path():
    path = Path(os.environ.get("WORKERSIM", REPO / "build" / "cli" / "workersim"))
    if not path.is_file() or not os.access(path, os.X_OK):
        raise FileNotFoundError(
            f"workersim not found at {path}: build it first (scripts/build.sh) or set WORKERSIM to the binary")
    return path


def _flag_value(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def flags(**options):
    """predict's flags from keyword arguments: io_pct=90 -> --io-pct 90; True -> a bare flag."""
    args = []
    for name, value in options.items():
        if value is None or value is False:
            continue
        args.append("--" + name.replace("_", "-"))
        if value is not True:
            args.append(_flag_value(value))
    return args


def run_cli(command, *args):
    """stdout of `workersim COMMAND ARGS --calibration <committed profile>`; raises with stderr."""
    argv = [str(workersim_path()), command, *args, "--calibration", str(PROFILE_PATH)]
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def predict(**options):
    """`workersim predict --json` as a dict."""
    return json.loads(run_cli("predict", "--json", *flags(**options)))


def recommend(**options):
    return json.loads(run_cli("recommend", "--json", *flags(**options)))


def sweep(**options):
    """`workersim sweep --json`: one dict per point (JSON lines)."""
    return [json.loads(line) for line in run_cli("sweep", "--json", *flags(**options)).splitlines() if line.strip()]


# ---- runs files (calibrate/records/run.hpp, one Run per line) --------------------------------------

def _load_kind(value):
    if isinstance(value, dict):
        value = value.get("kind", "closed")
    return str(value)


def _normalise_run(record, where):
    """The run as {'config': {...}, 'measured': {...}}; accepts the nested form or a flat one."""
    if "config" in record and "measured" in record:
        config, measured = dict(record["config"]), dict(record["measured"])
    else:
        config, measured = dict(record), dict(record)
    for key in ("id", "workers", "io_pct", "cpu_pct"):
        if key not in config:
            raise ValueError(f"{where}: key '{key}' missing from the run's config")
    config["load"] = _load_kind(config.get("load", "closed"))
    config.setdefault("cores", 2)
    config.setdefault("unit_s", 1.0)
    config.setdefault("loadgen_shared", False)
    return {"config": config, "measured": measured}


def runs_file():
    """The committed runs file to compare with (full calibration first), or None. WORKERSIM_RUNS
    names another runs file (e.g. one just measured with `workersim calibrate`)."""
    if os.environ.get("WORKERSIM_RUNS"):
        return Path(os.environ["WORKERSIM_RUNS"])
    for path in RUNS_CANDIDATES:
        if path.is_file() and path.stat().st_size > 0:
            return path
    return None


def load_runs(path=None):
    """(path, runs): every run of the preferred committed runs file; (None, []) when none is."""
    path = path or runs_file()
    if path is None:
        return None, []
    runs = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                runs.append(_normalise_run(json.loads(line), f"{path.name} line {number}"))
    return path, runs


def run_flags(config):
    """predict's flags for exactly this run's configuration, as calibrate/records/run.cpp's
    what_if_for builds it. `workersim validate --json` does not emit a run's flags (nor the
    predicted distribution a CDF needs), so this is the one mapping kept here; predict_run
    holds it to validate's prediction of the same run, which must come out identical."""
    options = dict(workers=config["workers"], cores=config["cores"], io_pct=config["io_pct"],
                   cpu_pct=config["cpu_pct"], unit=config["unit_s"],
                   loadgen="shared" if config.get("loadgen_shared") else "separate")
    if "timeout_s" in config:
        options["timeout"] = config["timeout_s"]
    if "backlog" in config:
        options["backlog"] = config["backlog"]
    if config["load"] == "open":
        options.update(rate=config["rate_per_s"], requests=config["requests"])
    else:
        options.update(clients=config["clients"], requests=config["requests"])
    return options


# ---- validate: each run's measured and predicted figures, from the C++ -----------------------

# One simulation per run (validate's --seeds 1): replication 0 keeps the run's seed, so a
# `predict --seed SEED` of the same run gives exactly the same figures.
VALIDATION_SEED = 1
_validations = {}


def validation(path):
    """`workersim validate --runs PATH --json` for the committed profile, one simulation per
    run: {run id: its comparison} with `cpu_time_factor` (the host speed the run is predicted
    at) and, per metric (throughput_rps, latency_mean_s, latency_p50_s, latency_p99_s,
    memory_kib), `measured` (None where the run did not measure it) and `predicted`. Runs that
    completed nothing are not compared and have no entry."""
    key = str(path)
    if key not in _validations:
        out = run_cli("validate", "--runs", str(path), "--json", "--seeds", "1", "--seed", str(VALIDATION_SEED))
        _validations[key] = {r["id"]: r for r in json.loads(out)["runs"]}
    return _validations[key]


def compared(path, run):
    """The run's entry in `validation(path)`; raises when validate did not compare it."""
    try:
        return validation(path)[run["config"]["id"]]
    except KeyError:
        raise KeyError(f"{path}: run {run['config']['id']} is not in workersim validate's output "
                       "(it completed nothing?)") from None


def predict_run(path, run):
    """`workersim predict --json` for exactly this run of the runs file PATH: its configuration
    at the host speed validate predicts it at (full precision). Raises if the prediction is
    not validate's own for the run, which would mean run_flags no longer says what
    what_if_for does."""
    c = compared(path, run)
    prediction = predict(seed=VALIDATION_SEED, cpu_time_factor=repr(c["cpu_time_factor"]), **run_flags(run["config"]))
    figures = {"throughput_rps": prediction["throughput_rps"], "latency_mean_s": prediction["latency_s"]["mean"],
               "latency_p50_s": prediction["latency_s"]["p50"], "latency_p99_s": prediction["latency_s"]["p99"],
               "memory_kib": prediction["memory_kib"]["total"]}
    for metric, value in figures.items():
        if value != c[metric]["predicted"]:
            raise RuntimeError(f"run {run['config']['id']}: predict with run_flags gives {metric} {value!r}, "
                               f"validate {c[metric]['predicted']!r}: run_flags has drifted from what_if_for")
    return prediction


# ---- statistics as the C++ computes them -----------------------------------------------------

def nearest_rank_percentile(sample, percent):
    """The smallest value with at least PERCENT% of the sample at or below it: index
    ceil(p/100 * n) - 1 of the sorted sample, as calibrate/records/latency_summary.hpp (not
    numpy's interpolated percentile). 0 for an empty sample, like the C++."""
    values = sorted(sample)
    if not values:
        return 0.0
    rank = math.ceil(percent / 100.0 * len(values))
    return values[min(max(rank, 1), len(values)) - 1]


# ---- predictions only -------------------------------------------------------------------------

def predicted_only(why):
    """A notebook that has nothing measured to compare with calls this instead of drawing a
    comparison. It raises, so the notebook run (scripts/run-notebooks.sh) fails: a committed
    figure must not silently turn into predictions only. WORKERSIM_ALLOW_PREDICTED_ONLY=1 lets
    an interactive session go on to draw the predictions."""
    if os.environ.get("WORKERSIM_ALLOW_PREDICTED_ONLY") == "1":
        print(f"PREDICTED ONLY: {why}")
        return
    raise RuntimeError(f"predicted only: {why} (set WORKERSIM_ALLOW_PREDICTED_ONLY=1 to draw the predictions anyway)")


# ---- provenance ----------------------------------------------------------------------------

def profile():
    with open(PROFILE_PATH) as f:
        return json.load(f)


def profile_caption():
    """Which profile and machine: for plot captions."""
    p = profile()
    prov = p.get("provenance", {})
    machine = prov.get("cpu_model") or "machine not recorded"
    parts = [f"profile '{p.get('name', '?')}' ({p.get('host_cores', '?')} cores, {machine}"]
    if prov.get("date"):
        parts.append(f", {prov['date']}")
    parts.append(")")
    if prov.get("runs_file"):
        parts.append(f" fitted from {prov['runs_file']}")
    elif prov.get("notes"):
        parts.append(f": {prov['notes']}")
    return "".join(parts)


def runs_caption(path, runs):
    if path is None:
        return "no measured runs committed yet (calibrate/data/full-runs.jsonl, quick-runs.jsonl): predictions only"
    dates = sorted(r["measured"].get("started_at", "") for r in runs if r["measured"].get("started_at"))
    when = f", {dates[0][:10]}..{dates[-1][:10]}" if dates else ""
    shown = path.relative_to(REPO) if path.resolve().is_relative_to(REPO.resolve()) else path
    return f"measured: {shown} ({len(runs)} runs{when})"


# ---- figures -------------------------------------------------------------------------------

def save_figure(fig, name):
    """Writes notebooks/figures/NAME.png (or into $WORKERSIM_FIGURES) when WORKERSIM_FIGURES is set
    (scripts/render-figures.sh sets it); plain notebook runs leave the committed PNGs alone."""
    target = os.environ.get("WORKERSIM_FIGURES")
    if not target:
        return None
    directory = Path(target) if target not in ("1", "yes") else REPO / "notebooks" / "figures"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    fig.savefig(path, dpi=80, bbox_inches="tight", pil_kwargs={"optimize": True})
    return path


def caption(fig, *lines):
    fig.text(0.01, -0.01, "\n".join(lines), fontsize=8, va="top", ha="left", color="0.3")
