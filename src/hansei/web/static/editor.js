// The editor's rows (add, remove, reorder) and its live figures. Without this
// script the form still shows and saves every field; rows just cannot be added.
"use strict";
(function () {
  document.documentElement.classList.add("js");
  const form = document.getElementById("editor");
  if (!form) return;
  const csrf = form.querySelector("input[name=csrf_token]").value;

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.addRow) {
      const kind = button.dataset.addRow;
      const template = form.querySelector(`template[data-row-template="${kind}"]`);
      const body = form.querySelector(`table[data-rows="${kind}"] tbody`);
      const row = template.content.firstElementChild.cloneNode(true);
      body.appendChild(row);
      const first = row.querySelector("input, select, textarea");
      if (first) first.focus();
      changed();
    } else if (button.hasAttribute("data-remove-row")) {
      const row = button.closest("tr");
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      const target = next && next.querySelector("button[data-remove-row]");
      if (target) target.focus();
      changed();
    } else if (button.dataset.move) {
      const row = button.closest("tr");
      if (button.dataset.move === "up" && row.previousElementSibling) {
        row.parentNode.insertBefore(row, row.previousElementSibling);
      } else if (button.dataset.move === "down" && row.nextElementSibling) {
        row.parentNode.insertBefore(row.nextElementSibling, row);
      }
      button.focus();
      changed();
    }
  });

  let timer = null;
  let sequence = 0;
  function changed() {
    clearTimeout(timer);
    timer = setTimeout(preview, 300);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  function item(list, text, className) {
    const li = document.createElement("li");
    li.textContent = text;
    if (className) li.className = className;
    list.appendChild(li);
  }

  async function preview() {
    const mine = ++sequence;
    const response = await fetch(form.dataset.preview, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-CSRF-Token": csrf },
      credentials: "same-origin",
    });
    if (mine !== sequence) return; // a newer preview is on its way
    const data = await response.json();
    const figures = document.getElementById("live-figures");
    const findings = document.getElementById("live-findings");
    const errors = document.getElementById("live-errors");
    errors.replaceChildren();
    if (!response.ok) {
      for (const error of data.errors || []) item(errors, `${error.field}: ${error.message}`, "error");
      return;
    }
    figures.replaceChildren();
    for (const figure of data.figures) {
      const wrapper = document.createElement("div");
      const term = document.createElement("dt");
      const value = document.createElement("dd");
      term.textContent = figure.label;
      value.id = `figure-${figure.key}`;
      if (figure.value) {
        const mark = document.createElement("mark");
        mark.className = "computed";
        mark.textContent = figure.value;
        value.appendChild(mark);
      } else {
        value.textContent = "—";
      }
      wrapper.append(term, value);
      figures.appendChild(wrapper);
    }
    findings.replaceChildren();
    item(findings, data.placeholders, "finding");
    for (const finding of data.findings) {
      item(findings, `${finding.code}: ${finding.message}`, `finding ${finding.severity}`);
    }
    form.dispatchEvent(new CustomEvent("hansei:previewed"));
  }
  preview();
})();
