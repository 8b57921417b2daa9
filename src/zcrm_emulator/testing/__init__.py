"""A kit for testing code that talks to Zoho CRM against the emulator.

* ``plugin``: the pytest plugin (entry point ``zcrm_emulator`` in ``pytest11``), its fixtures and options;
* ``transports``: the emulator in-process (``InProcessApp``) and an ``httpx`` transport for it;
* ``requests_adapter``: a ``requests`` adapter for it (``InProcessAdapter``, ``route_requests``);
* ``server``: the emulator on a loopback port (``LoopbackServer``);
* ``instances``: session emulators by options, restored from a snapshot before each test;
* ``sdk``: the official Python SDK initialised against an emulator.

Nothing is imported here, so the plugin, which pytest loads in every run, stays cheap to load.
"""
