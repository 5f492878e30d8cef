"""Recognisers of UK personal data, one module per kind; `classifiers.confidential` puts them together."""
