"""Resumable training state for train.py: a cycle can stop (a session's end, SIGTERM) and go on later from the same
iteration with the same learning-rate schedule, optimiser moments and random streams.

On CPU a cycle resumed from a state continues bit for bit as if it had not stopped (the random streams are saved;
checked by `train_state_check.py`). On CUDA the kernels are not bit-deterministic, so only the streams are.
Files are written atomically (temporary file + rename): a kill during the save leaves the previous state.
"""
import os
import signal

import torch

VERSION = 1


def generator_state(g):
    return g.get_state().cpu()


def save(path, model, opt, it, total, seconds, running, rng, gens, history, args_record):
    """gens: dict name -> torch.Generator (CPU or CUDA); rng: numpy Generator."""
    tmp = path + ".tmp"
    torch.save({
        "version": VERSION,
        "model": {k: v.detach().cpu() for k, v in model.state_dict().items()},
        "optimiser": opt.state_dict(),
        "iteration": it,
        "total": total,
        "seconds": seconds,
        "running_loss": running,
        "numpy_rng": rng.bit_generator.state,
        "generators": {k: generator_state(g) for k, g in gens.items()},
        "history": history,
        "args": args_record,
    }, tmp)
    os.replace(tmp, path)


def load(path):
    state = torch.load(path, map_location="cpu")
    if state.get("version") != VERSION:
        raise SystemExit(f"{path}: training state version {state.get('version')}, this train.py reads {VERSION}")
    return state


def restore(state, model, opt, rng, gens):
    model.load_state_dict(state["model"])
    opt.load_state_dict(state["optimiser"])
    rng.bit_generator.state = state["numpy_rng"]
    for k, g in gens.items():
        s = state["generators"][k]
        g.set_state(s.to(g.device) if g.device.type == "cuda" else s)


def check_compatible(state, args_record):
    """The settings that shape the cycle must be those it started with."""
    diff = {k: (state["args"].get(k), v) for k, v in args_record.items() if state["args"].get(k) != v}
    if diff:
        raise SystemExit("--resume with other settings than the state was made with (was, now): " +
                         ", ".join(f"{k} {a} -> {b}" for k, (a, b) in diff.items()))


class StopRequest:
    """Set by SIGTERM / SIGINT: the training loop saves its state and ends at the next iteration."""

    def __init__(self):
        self.requested = False
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._handle)

    def _handle(self, signum, _frame):
        print(f"signal {signum}: saving the training state after this iteration", flush=True)
        self.requested = True

