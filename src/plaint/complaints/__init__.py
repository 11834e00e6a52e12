"""The ISO 10002:2018 clause 7 complaints-handling process: receipt, acknowledgement, initial
assessment, investigation, response, communicating the decision, closing, and internal review."""
