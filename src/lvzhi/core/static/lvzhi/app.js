// Ask before a destructive or irreversible action: <form data-confirm="确定……？">
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// Searchable pickers. A select with many choices (data-search, or any select inside an element
// marked data-search-within) is found by name or by pinyin initials (张三 → zs; the initials come
// from the server: data-pinyin per option, or one #pinyin-index for a page of identical selects).
// Selects with data-search get a filter box above them; every searchable select also accepts
// typed initials while it has the focus.
(function () {
  var index = null;

  function pinyinIndex() {
    if (index === null) {
      var script = document.getElementById("pinyin-index");
      index = script ? JSON.parse(script.textContent) : {};
    }
    return index;
  }

  function initials(option) {
    return option.getAttribute("data-pinyin") || pinyinIndex()[option.value] || "";
  }

  function matches(option, query) {
    if (!option.value) return true;
    var text = option.textContent.toLowerCase();
    return text.indexOf(query) !== -1 || initials(option).indexOf(query) === 0;
  }

  function filter(select, query) {
    var first = null;
    query = query.trim().toLowerCase();
    Array.prototype.forEach.call(select.options, function (option) {
      var shown = !query || matches(option, query) || option.selected;
      option.hidden = !shown;
      if (shown && option.value && first === null && query && matches(option, query)) first = option;
    });
    return first;
  }

  function choose(select, option) {
    if (!option) return;
    option.selected = true;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function enhance(select) {
    if (select.dataset.searchReady) return;
    select.dataset.searchReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = "输入名称或拼音首字母筛选";
    box.setAttribute("aria-label", "筛选选项：输入名称或拼音首字母");
    box.autocomplete = "off";
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var first = filter(select, box.value);
      if (!select.multiple && first && select.selectedIndex <= 0) choose(select, first);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        choose(select, filter(select, box.value));
      }
    });
  }

  function searchable(element) {
    return element instanceof HTMLSelectElement &&
      (element.hasAttribute("data-search") || element.closest("[data-search-within]") !== null);
  }

  // Typed initials on a focused select: letters within a second of each other form one query. A
  // single select follows as one types; a multiple select adds the match once typing pauses.
  var typed = "";
  var typedAt = 0;
  var pending = null;

  function firstMatch(select, query) {
    return Array.prototype.find.call(select.options, function (option) {
      return option.value && initials(option).indexOf(query) === 0;
    });
  }

  document.addEventListener("keydown", function (event) {
    var select = event.target;
    if (!searchable(select) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (!/^[a-z]$/i.test(event.key)) return;
    event.preventDefault();
    var now = Date.now();
    typed = (now - typedAt < 1000 ? typed : "") + event.key.toLowerCase();
    typedAt = now;
    if (!select.multiple) {
      choose(select, firstMatch(select, typed));
      return;
    }
    clearTimeout(pending);
    pending = setTimeout(function () {
      var found = firstMatch(select, typed);
      typed = "";
      if (!found) return;
      found.selected = true;
      found.scrollIntoView({ block: "nearest" });
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }, 500);
  });

  function enhanceAll(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("select[data-search]").forEach(enhance);
  }
  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
})();

// Long text (a unit's reply) is written in a card that takes the whole window: <button data-expand-card>.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-expand-card]");
  if (!button) return;
  var card = button.closest(".card");
  var expanded = card.classList.toggle("action-card-expanded");
  button.setAttribute("aria-pressed", expanded ? "true" : "false");
  button.textContent = expanded ? "还原" : "全宽编写";
  document.body.classList.toggle("overflow-hidden", expanded);
  if (expanded) {
    var area = card.querySelector("textarea");
    if (area) area.focus();
  }
});

// A list's further conditions on a phone (<button data-filters-toggle>): hidden until asked for,
// shown at once when one of them is in use.
(function () {
  function setOpen(form, open) {
    form.classList.toggle("filters-open", open);
    form.querySelectorAll("[data-filters-toggle]").forEach(function (button) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-filters-toggle]");
    if (button) setOpen(button.form, !button.form.classList.contains("filters-open"));
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-filters-toggle]").forEach(function (button) {
      var used = Array.prototype.some.call(button.form.querySelectorAll(".filter-more select, .filter-more input"),
        function (field) { return field.type === "checkbox" ? field.checked : Boolean(field.value); });
      if (used) setOpen(button.form, true);
    });
  });
})();
