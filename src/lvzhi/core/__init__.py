"""The ground floor every app builds on: base models, errors, the task queue, the working-day
calendar, text helpers, API plumbing. It imports no domain app (deputies, suggestions, …) and
neither the portal nor the demo data, which sit above them all (``tests/core/test_layers.py``).
"""
