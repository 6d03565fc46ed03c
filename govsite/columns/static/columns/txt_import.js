// 从 .txt 文件导入正文 (R-FMT-1, 第十七条): the file's paragraphs replace the body when the form
// is saved. Saving at once, as a draft, reloads the editor showing the imported body, so that
// nothing typed into the old body afterwards is sent back over it and the file is not imported
// a second time by a later save.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.name !== "body_txt" || !input.files.length) {
    return;
  }
  if (!window.confirm("将用所选 .txt 文件的内容替换正文，并立即保存为草稿。是否继续？")) {
    input.value = "";
    return;
  }
  const save = input.form.querySelector("button.action-save");
  input.form.requestSubmit(save || undefined);
});
