"""The forms of R-SURVEY-1 (第十一条): 综合科's survey editor and the public answer sheet."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from .models import (
    MAX_TEXT_ANSWER_LENGTH,
    RATING_LABELS,
    Answer,
    Question,
    QuestionKind,
    split_choices,
)

# The survey editor ------------------------------------------------------------------------------


class SurveyForm(WagtailAdminModelForm):
    """The survey editor. Once a survey has answers its questions are locked: answers point to
    their question and option, so adding, deleting or changing the kind, the options or whether
    a question is required would corrupt the results. Correcting the wording and changing the
    order stay possible."""

    def clean(self):
        cleaned_data = super().clean()
        survey = self.instance
        if survey.has_responses():
            refused = locked_question_changes(survey, self.formsets["questions"])
            if refused:
                count = survey.responses.count()
                self.add_error(
                    None,
                    forms.ValidationError(
                        [
                            f"本调查已有 {count} 份答卷，为保证统计结果准确，"
                            "题目只能修改文字表述和顺序，不能增删题目、修改题型、选项或是否必答：",
                            *refused,
                        ]
                    ),
                )
        return cleaned_data


def locked_question_changes(survey, formset):
    """What the submitted question forms would change that answers depend on, in Chinese."""
    formset.is_valid()  # cleans every question form (the result is cached)
    stored = {question.pk: question for question in Question.objects.filter(survey=survey)}
    refused = []
    for form in formset.forms:
        deleted = formset.can_delete and formset._should_delete_form(form)
        original = stored.get(form.instance.pk)
        if original is None:
            if not deleted and form.has_changed():
                refused.append("不能新增题目。")
            continue
        name = f"「{original.text}」"
        if deleted:
            refused.append(f"不能删除题目{name}。")
            continue
        data = getattr(form, "cleaned_data", None) or {}
        if "kind" in data and data["kind"] != original.kind:
            refused.append(f"不能修改题目{name}的题型。")
        if "required" in data and data["required"] != original.required:
            refused.append(f"不能修改题目{name}是否必答。")
        if "choices" in data and split_choices(data["choices"]) != original.choice_list:
            refused.append(f"不能修改题目{name}的选项。")
    return refused


# The answer sheet ---------------------------------------------------------------------------------

ERRORS = {
    "required": "此题为必答题，请作答。",
    "invalid_choice": "所选选项无效，请从给出的选项中选择。",
    "invalid_list": "所选选项无效，请从给出的选项中选择。",
    "max_length": "文字请控制在 %(limit_value)d 字以内（现有 %(show_value)d 字）。",
}


def field_name(question):
    return f"q{question.pk}"


def question_field(question):
    common = {"label": question.text, "required": question.required, "error_messages": ERRORS}
    if question.kind == QuestionKind.SINGLE:
        choices = [(choice, choice) for choice in question.choice_list]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if question.kind == QuestionKind.MULTIPLE:
        choices = [(choice, choice) for choice in question.choice_list]
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, help_text="可多选", **common
        )
    if question.kind == QuestionKind.RATING:
        choices = [(score, f"{score}分 {label}") for score, label in RATING_LABELS.items()]
        return forms.TypedChoiceField(
            choices=choices, coerce=int, empty_value=None, widget=forms.RadioSelect, **common
        )
    return forms.CharField(
        max_length=MAX_TEXT_ANSWER_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"不超过 {MAX_TEXT_ANSWER_LENGTH} 字",
        **common,
    )


class AnswerForm(forms.Form):
    """The answer sheet of one survey: a field per question, required ones enforced."""

    def __init__(self, survey, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for question in self.questions:
            self.fields[field_name(question)] = question_field(question)

    def clean(self):
        cleaned_data = super().clean()
        if not self.errors and not any(cleaned_data.get(name) for name in self.fields):
            raise forms.ValidationError("请至少回答一道题后再提交。")
        return cleaned_data

    def answers(self):
        """The answers given, unsaved and without their response: one per chosen option."""
        answers = []
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if value in (None, "", []):
                continue
            if question.kind == QuestionKind.MULTIPLE:
                chosen = dict.fromkeys(value)  # an option sent twice counts once
                answers += [Answer(question=question, choice=choice) for choice in chosen]
            elif question.kind == QuestionKind.SINGLE:
                answers.append(Answer(question=question, choice=value))
            elif question.kind == QuestionKind.RATING:
                answers.append(Answer(question=question, rating=value))
            else:
                answers.append(Answer(question=question, text=value))
        return answers
