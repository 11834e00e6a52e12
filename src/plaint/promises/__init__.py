"""ISO 10001:2018 codes of conduct: published, versioned promises to customers, each measured on every
complaint it applies to (clauses 6-8), with the regulatory response-time profiles built on the same engine."""
