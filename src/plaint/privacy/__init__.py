"""Personal data: which fields hold it (``registry``), a person's data found and exported, erased
by anonymisation that keeps counts, categories, dates and outcomes, legal holds that stop an
erasure, and retention rules the worker applies daily. Serves ISO 10002 5.4 and 7.8 (personal
information protected, used only for the complaint) and ISO 10001 (the code on customer data)."""
