#!/usr/bin/env python3
"""Validates JSON files with Harbor's own pydantic models (run with .tools/harbor/bin/python).

Usage: harbor-validate.py [--as trajectory|trial-result|trial-config|job-result|job-config] PATH...
A directory is taken as a Harbor job folder: its config.json (JobConfig) and result.json (JobResult), and in
each trial folder config.json (TrialConfig), result.json (TrialResult) and agent/trajectory.json (Trajectory).
A file is validated as --as says, else as a Trajectory (result.json and config.json need --as). Prints one JSON object
{"harbor": version, "checked": [[path, model]...], "errors": [{"path", "model", "error"}...]} and exits 1
if any file fails, 2 on bad usage. A key Harbor's model does not define is a failure too (most of its
models would silently drop it).
"""
import importlib.metadata
import json
import os
import sys

from pydantic import BaseModel

from harbor.models.job.config import JobConfig
from harbor.models.job.result import JobResult
from harbor.models.trajectories import Trajectory
from harbor.models.trial.config import TrialConfig
from harbor.models.trial.result import TrialResult

MODELS = {
    "trajectory": Trajectory,
    "trial-result": TrialResult,
    "trial-config": TrialConfig,
    "job-result": JobResult,
    "job-config": JobConfig,
}


def ignored_keys(obj, data, at=""):
    """Keys of `data` that Harbor's model would silently drop (most of its models ignore unknown keys):
    a field name we misspell must fail here, not vanish."""
    out = []
    if isinstance(obj, BaseModel) and isinstance(data, dict):
        cls = type(obj)
        for k, v in data.items():
            if k in cls.model_fields:
                out += ignored_keys(getattr(obj, k), v, f"{at}{k}.")
            elif k not in cls.model_computed_fields:
                out.append(f"{at}{k}")
    elif isinstance(obj, list) and isinstance(data, list):
        for i, (o, d) in enumerate(zip(obj, data)):
            out += ignored_keys(o, d, f"{at}{i}.")
    elif isinstance(obj, dict) and isinstance(data, dict):
        for k, v in data.items():
            if k in obj:
                out += ignored_keys(obj[k], v, f"{at}{k}.")
    return out


def job_files(job_dir):
    yield os.path.join(job_dir, "config.json"), "job-config"
    yield os.path.join(job_dir, "result.json"), "job-result"
    for name in sorted(os.listdir(job_dir)):
        trial = os.path.join(job_dir, name)
        if not os.path.isdir(trial):
            continue
        yield os.path.join(trial, "config.json"), "trial-config"
        yield os.path.join(trial, "result.json"), "trial-result"
        traj = os.path.join(trial, "agent", "trajectory.json")
        if os.path.exists(traj):
            yield traj, "trajectory"


def main(argv):
    kind = None
    paths = []
    it = iter(argv)
    for a in it:
        if a == "--as":
            kind = next(it, None)
            if kind not in MODELS:
                print(f"--as needs one of {', '.join(MODELS)}", file=sys.stderr)
                return 2
        else:
            paths.append(a)
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    targets = []
    for p in paths:
        if os.path.isdir(p):
            targets.extend(job_files(p))
        else:
            base = os.path.basename(p)
            targets.append((p, kind or (None if base in ("result.json", "config.json") else "trajectory")))
    checked, errors = [], []
    for path, k in targets:
        if k is None:
            errors.append({"path": path, "model": None, "error": "cannot tell the model from the name: pass --as"})
            continue
        model = MODELS[k]
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            dropped = ignored_keys(model.model_validate(data), data)
            if dropped:
                raise ValueError(f"keys {model.__name__} does not define (Harbor would drop them): {', '.join(dropped)}")
            checked.append([path, model.__name__])
        except Exception as e:  # a missing file, bad JSON or a validation error: all are failures
            errors.append({"path": path, "model": model.__name__, "error": f"{type(e).__name__}: {e}"})
    print(json.dumps({"harbor": importlib.metadata.version("harbor"), "checked": checked, "errors": errors}))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
