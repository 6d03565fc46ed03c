"""The survey editor's text areas, which keep line breaks as the database keeps them."""

from django import forms


class LinesTextarea(forms.Textarea):
    """A text area whose value has "\\n" line breaks, as stored: browsers send "\\r\\n", which
    would make an untouched survey look edited — and a review decided from the editor save a new
    version that restarts the review chain."""

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value
