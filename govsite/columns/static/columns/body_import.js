// 导入正文 (R-FMT-1, R-FMT-2; 第十七条): the chosen file (.txt, or a Word .docx) replaces the body
// when the form is saved. Saving at once, as a draft, reloads the editor showing the imported
// body, so that nothing typed into the old body afterwards is sent back over it and the file is
// not imported a second time by a later save. A refused file comes back with its reason and the
// form as it was.
const IMPORTS = {
  body_txt: "将用所选 .txt 文件的内容替换正文，并立即保存为草稿。是否继续？",
  body_docx:
    "将用所选 Word 文档的内容（文字、表格和图片）替换正文，并立即保存为草稿。是否继续？",
};

document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !IMPORTS[input.name] || !input.files.length) {
    return;
  }
  if (!window.confirm(IMPORTS[input.name])) {
    input.value = "";
    return;
  }
  const save = input.form.querySelector("button.action-save");
  input.form.requestSubmit(save || undefined);
});
