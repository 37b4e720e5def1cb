"""The research registry: pseudonymised extracts, synthetic registries and cohort reports.

Modules that read patient-level data (``extract``) never log it. Researchers only ever see what
``extract`` writes (pseudonymous ids, months since treatment start, 5-year age bands) and
disclosure-controlled reports.
"""
