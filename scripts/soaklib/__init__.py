"""The parts of scripts/soak: processes (procs), plans, checks and the loop over runs (soak)."""
