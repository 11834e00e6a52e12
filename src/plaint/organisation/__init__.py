"""The organisation's own configuration: its settings (name, languages, time zone, reference
prefix) and its business calendars with closed days — the frame every deadline is counted in
(ISO 10002 6.2 resources, 7.4 tracking; ISO 10001 7.x promises on business days). The models live in
``core`` (every app reads them); every change to them goes through this app's services and pages."""
