"""E-mail intake: complaints and replies that arrive by e-mail (IMAP mailboxes or raw MIME pushed
over HTTP) become cases and messages; what cannot be placed waits in a quarantine for staff.
Serves ISO 10002 7.2 (accessibility: complaints by e-mail too), 7.3 (receipt and recording) and
7.5 (acknowledgement)."""
