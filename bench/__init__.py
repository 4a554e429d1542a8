"""Benchmarks (not tests): run each as ``python -m bench.<name>``; they print, never assert."""
