"""Stage 0: what every stage uses: the error hierarchy, constants, atomic writes, worker processes."""
