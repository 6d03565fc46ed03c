// 第十七条 (R-FMT-2): 「采用符合规范的版本」 marks the conforming version offered after a refused
// upload as accepted and sends the upload form again. The chooser's upload tab in the page
// editor posts its form with FormData, which leaves out the button pressed, so the choice
// travels in a hidden field (govsite/images/forms.py).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-govsite-accept-conforming]");
  if (!button) return;
  event.preventDefault();
  const offer = button.closest("[data-govsite-conforming]");
  offer.querySelector("[data-govsite-conforming-accept]").value = "1";
  button.disabled = true;
  button.form.requestSubmit();
});
