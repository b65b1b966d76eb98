"""verzuim's API: werknemers and ziekmeldingen (views.py), routed in urls.py."""
