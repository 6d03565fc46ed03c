from django import forms
from django.core.exceptions import ValidationError

from . import topics


class TopicImportForm(forms.Form):
    """主题分类导入: the file is read and checked whole before anything changes."""

    file = forms.FileField(
        label="主题分类文件", help_text="UTF-8 文本文件，格式同系统自带的主题分类文件。"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError("文件不是 UTF-8 编码的文本。") from error
        self.tree = topics.read_tree_text(text)
        return upload

    def save(self):
        return topics.apply_tree(self.tree)
