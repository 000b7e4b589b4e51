"""Screen text: windows read from their pixels (OCR) where accessibility shows nothing."""
