"""Calibration and its uses: observed series, ABC-SMC, posterior draws."""
