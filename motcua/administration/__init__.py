"""The administrator's pages that are more than Django admin forms: the procedure-version editor
(decision 0165). An interface: it presents the catalogue's rules, it holds none."""
