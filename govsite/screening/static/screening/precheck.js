// 预检 (check now): send the editor form as it stands to the screening view and show the
// findings above the form. Nothing is saved or submitted.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-govsite-precheck]");
  if (!button) return;
  event.preventDefault();
  // Close the action menu the button sits in (a Wagtail dropdown, i.e. a tippy popper).
  for (const toggle of document.querySelectorAll("[data-w-dropdown-target='toggle']")) {
    if (toggle._tippy && toggle._tippy.popper.contains(button)) toggle._tippy.hide();
  }
  const form = button.closest("form") || document.querySelector("form[data-edit-form]");
  let holder = document.querySelector("[data-precheck-holder]");
  if (!holder) {
    holder = document.createElement("div");
    holder.setAttribute("data-precheck-holder", "");
    form.prepend(holder);
  }
  button.disabled = true;
  holder.innerHTML = '<div class="help-block help-info"><p>正在预检……</p></div>';
  try {
    const response = await fetch(button.dataset.url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
    });
    holder.innerHTML = response.ok
      ? await response.text()
      : `<div class="help-block help-critical"><p>预检失败（${response.status}），请稍后重试或直接提交。</p></div>`;
  } catch (error) {
    holder.innerHTML =
      '<div class="help-block help-critical"><p>预检失败：无法连接服务器，请稍后重试。</p></div>';
  } finally {
    button.disabled = false;
    holder.scrollIntoView({ behavior: "smooth", block: "start" });
  }
});
