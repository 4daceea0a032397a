#!/usr/bin/python3
"""Checks that a training cycle stopped and resumed (train.py --stop-after / --resume) ends with the same weights,
bit for bit on CPU, as the same cycle run without a stop; and that a resume with other settings is refused.

Usage: /usr/bin/python3 models/knee/train_state_check.py --phantom-raw build/tools/strata-knee-phantom-raw [--synth on]
About a minute on two cores (tiny patches, two phantoms).
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def run(common, *extra, check=True):
    cmd = [sys.executable, os.path.join(HERE, "train.py"), *common, *extra]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if check and p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}")
    return p


def weights(path):
    z = np.load(path)
    return {k: z[k] for k in z.files if k.startswith("w:")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--phantom-raw", required=True)
    ap.add_argument("--synth", default="on")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        common = ["--phantom-raw", a.phantom_raw, "--data", os.path.join(tmp, "data"), "--train-seeds", "2",
                  "--patch", "24", "32", "32", "--batch", "1", "--iterations", "6", "--threads", "2",
                  "--synth", a.synth, "--no-eval", "--save-every", "1e9"]
        straight = os.path.join(tmp, "straight.npz")
        run(common, "--out", os.path.join(tmp, "o1"), "--export-npz", straight)
        state = os.path.join(tmp, "state.pt")
        partial = os.path.join(tmp, "partial.npz")
        out = run(common, "--out", os.path.join(tmp, "o2"), "--state", state, "--stop-after", "1e-9",
                  "--export-npz", partial).stdout
        assert "stopped at iteration 1/6" in out, out[-1000:]
        assert os.path.exists(state), "no training state after --stop-after"
        refused = run(common, "--out", os.path.join(tmp, "o3"), "--state", state, "--resume", "--lr", "1e-2",
                      check=False)
        assert refused.returncode != 0 and "other settings" in refused.stderr, refused.stderr[-1000:]
        resumed = os.path.join(tmp, "resumed.npz")
        out = run(common, "--out", os.path.join(tmp, "o4"), "--state", state, "--resume", "--export-npz", resumed).stdout
        assert "resumed" in out and "iteration 1/6" in out, out[-1000:]
        assert not os.path.exists(state), "the state of a completed cycle was not removed"
        w1, w2, w0 = weights(straight), weights(resumed), weights(partial)
        same = all(np.array_equal(w1[k], w2[k]) for k in w1)
        moved = any(not np.array_equal(w1[k], w0[k]) for k in w1)
        history = str(np.load(resumed)["history"])
        print(f"straight vs stopped+resumed: {'identical' if same else 'DIFFERENT'}; partial differs: {moved}")
        assert same and moved
        assert '"iterations": 6' in history and "planned_iterations" not in history, history
        assert "planned_iterations" in str(np.load(partial)["history"])
    print("train_state_check: ok")


if __name__ == "__main__":
    main()
