// A small rich-text editor for reflections: a contenteditable box with a toolbar that
// writes its HTML into the form's textarea on every change. The server sanitises the HTML
// whatever arrives; without JavaScript the plain textarea still works.
(function () {
  "use strict";
  document.querySelectorAll("textarea.rich-text-source").forEach(function (source) {
    var editor = document.createElement("div");
    editor.className = "form-control rich-text-editor";
    editor.contentEditable = "true";
    editor.setAttribute("data-testid", "rich-editor");
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    editor.style.minHeight = "12rem";
    editor.innerHTML = source.value;
    source.classList.add("d-none");
    source.parentNode.insertBefore(editor, source);
    var sync = function () { source.value = editor.innerHTML; };
    editor.addEventListener("input", sync);
    var form = source.form;
    if (form) { form.addEventListener("submit", sync); }
    var toolbar = form ? form.querySelector(".rich-text-toolbar") : null;
    if (toolbar) {
      toolbar.classList.remove("d-none");
      toolbar.querySelectorAll("[data-command]").forEach(function (button) {
        button.addEventListener("click", function () {
          editor.focus();
          document.execCommand(button.getAttribute("data-command"), false, null);
          sync();
        });
      });
    }
  });
})();
