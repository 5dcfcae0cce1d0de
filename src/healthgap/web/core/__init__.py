"""The shell of the site: home page, base templates, template tags and the demo loader."""
