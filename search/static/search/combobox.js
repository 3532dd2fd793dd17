/*
 * Suggestions while typing for the search boxes: the WAI-ARIA 1.2 combobox pattern with a listbox popup
 * ("list autocomplete with manual selection"). Without this script each box is a plain GET form.
 *
 * The input keeps focus; the highlighted option is announced through aria-activedescendant. Arrow keys
 * move through the options, Enter opens the highlighted one (or submits the search when none is),
 * Escape closes the list (or, when it is closed, empties the box). A polite live region says how many
 * suggestions there are. Requests wait for a pause in typing, and a newer request cancels an older one.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;
  var MIN_LENGTH = 2;

  function Combobox(input) {
    this.input = input;
    this.url = input.dataset.suggestUrl;
    this.texts = {
      none: input.dataset.textNone,
      one: input.dataset.textOne,
      many: input.dataset.textMany
    };
    this.options = [];
    this.active = -1;
    this.timer = null;
    this.controller = null;
    this.lastQuery = null;

    var wrapper = input.parentNode;
    this.listbox = document.createElement("ul");
    this.listbox.id = input.id + "-listbox";
    this.listbox.className = "combobox__listbox";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.setAttribute("aria-label", input.dataset.listboxLabel);
    this.listbox.hidden = true;
    wrapper.appendChild(this.listbox);

    this.status = document.createElement("div");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    wrapper.appendChild(this.status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.listbox.id);
    input.setAttribute("autocomplete", "off");

    input.addEventListener("input", this.onInput.bind(this));
    input.addEventListener("keydown", this.onKeydown.bind(this));
    input.addEventListener("blur", this.close.bind(this));
    // Keep the focus in the input while an option is clicked, so blur does not close the list first.
    this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.listbox.addEventListener("click", this.onClick.bind(this));
  }

  Combobox.prototype.onInput = function () {
    var self = this;
    window.clearTimeout(this.timer);
    var query = this.input.value.trim();
    if (query.length < MIN_LENGTH) {
      this.cancel();
      this.lastQuery = null;
      this.render([]);
      this.announce("");
      return;
    }
    this.timer = window.setTimeout(function () { self.fetch(query); }, DEBOUNCE_MS);
  };

  Combobox.prototype.cancel = function () {
    if (this.controller) {
      this.controller.abort();
      this.controller = null;
    }
  };

  Combobox.prototype.fetch = function (query) {
    var self = this;
    if (query === this.lastQuery) {
      return;
    }
    this.cancel();
    var controller = new AbortController();
    this.controller = controller;
    window.fetch(this.url + "?q=" + encodeURIComponent(query), {
      signal: controller.signal,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("suggestions " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        // An answer to an older question, or to text that has changed since, is dropped.
        if (controller !== self.controller || self.input.value.trim() !== query) {
          return;
        }
        self.controller = null;
        self.lastQuery = query;
        self.render(data.suggestions || []);
        self.announceCount();
      })
      .catch(function (error) {
        if (error.name !== "AbortError" && controller === self.controller) {
          self.controller = null;
          self.render([]);
        }
      });
  };

  Combobox.prototype.render = function (suggestions) {
    var listbox = this.listbox;
    while (listbox.firstChild) {
      listbox.removeChild(listbox.firstChild);
    }
    this.options = suggestions.map(function (suggestion, index) {
      var option = document.createElement("li");
      option.id = listbox.id + "-" + index;
      option.className = "combobox__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.url = suggestion.url;
      var label = document.createElement("span");
      label.className = "combobox__label";
      label.lang = "nl";
      label.textContent = suggestion.label;
      var kind = document.createElement("span");
      kind.className = "combobox__kind";
      kind.textContent = suggestion.kind_label;
      option.appendChild(label);
      option.appendChild(document.createTextNode(" "));
      option.appendChild(kind);
      listbox.appendChild(option);
      return option;
    });
    this.setActive(-1);
    if (this.options.length && document.activeElement === this.input) {
      this.open();
    } else {
      this.close();
    }
  };

  Combobox.prototype.announceCount = function () {
    var count = this.options.length;
    var text = count === 0 ? this.texts.none : count === 1 ? this.texts.one : this.texts.many.replace("{count}", count);
    this.announce(text);
  };

  Combobox.prototype.announce = function (text) {
    var status = this.status;
    // Emptying first makes a repeated message ("3 suggesties") count as a change.
    status.textContent = "";
    if (text) {
      window.setTimeout(function () { status.textContent = text; }, 50);
    }
  };

  Combobox.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  Combobox.prototype.open = function () {
    if (!this.options.length) {
      return;
    }
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Combobox.prototype.close = function () {
    this.setActive(-1);
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
  };

  Combobox.prototype.setActive = function (index) {
    if (this.active >= 0 && this.options[this.active]) {
      this.options[this.active].setAttribute("aria-selected", "false");
    }
    this.active = index;
    if (index >= 0 && this.options[index]) {
      var option = this.options[index];
      option.setAttribute("aria-selected", "true");
      this.input.setAttribute("aria-activedescendant", option.id);
      if (option.scrollIntoView) {
        option.scrollIntoView({ block: "nearest" });
      }
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  Combobox.prototype.move = function (step) {
    if (!this.options.length) {
      return;
    }
    if (!this.isOpen()) {
      this.open();
      this.setActive(step > 0 ? 0 : this.options.length - 1);
      return;
    }
    var count = this.options.length;
    var next = this.active < 0 ? (step > 0 ? 0 : count - 1) : (this.active + step + count) % count;
    this.setActive(next);
  };

  Combobox.prototype.go = function (option) {
    this.close();
    window.location.assign(option.dataset.url);
  };

  Combobox.prototype.onKeydown = function (event) {
    if (event.altKey && event.key === "ArrowDown") {
      this.open();
      event.preventDefault();
      return;
    }
    switch (event.key) {
      case "ArrowDown":
        this.move(1);
        event.preventDefault();
        break;
      case "ArrowUp":
        this.move(-1);
        event.preventDefault();
        break;
      case "Enter":
        if (this.isOpen() && this.active >= 0) {
          event.preventDefault();
          this.go(this.options[this.active]);
        }
        break;
      case "Escape":
        if (this.isOpen()) {
          this.close();
        } else if (this.input.value) {
          this.input.value = "";
          this.onInput();
        }
        event.preventDefault();
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  };

  Combobox.prototype.onClick = function (event) {
    var option = event.target.closest("[role=option]");
    if (option) {
      this.go(option);
    }
  };

  function enhance() {
    if (!("fetch" in window) || !("AbortController" in window)) {
      return;
    }
    var inputs = document.querySelectorAll("input[data-suggest-url]");
    Array.prototype.forEach.call(inputs, function (input) {
      if (!input.dataset.comboboxReady) {
        input.dataset.comboboxReady = "true";
        new Combobox(input);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
