"""External dispute resolution (ISO 10003:2018): the providers an organisation selects for its
dispute-resolution framework and reviews (clauses 5 and 6: framework, planning and resources;
clause 8: evaluation and review), what each offers and costs, and which complaints each may take.
The dispute cases themselves follow (clause 7, operation). See docs/disputes.md."""
