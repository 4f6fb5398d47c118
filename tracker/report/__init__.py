"""'Stand van zaken': a print-ready report of one trajectory, whole or per layer, as HTML and PDF."""
