/* 适老化与无障碍 (R-A11Y-1): the toolbar of every public page, built here — no third-party script,
   no network, CSP-clean (script-src 'self'; style-src 'self': only classes and element.style).

   The served HTML is the same for every visitor: the visitor's choices live in localStorage and
   are applied here as classes on <html> (site.css, block "适老化与无障碍"):
     a11y-zoom-125 … a11y-zoom-200   root font size × 1.25 … 2 (the layout is in rem/em: it reflows)
     a11y-elder                      长者模式 (关怀版)
     a11y-contrast-<scheme>          高对比度 (dark 黑底黄字, light 白底黑字, blue 蓝底白字)
     a11y-cursor                     大鼠标
   The crosshair and reading aloud are elements and speech made here.

   The toolbar's buttons carry their action and shortcut key (data-a11y-action, data-a11y-key;
   from govsite/accessibility/data/toolbar.toml): the key map is read from them. Loaded with
   `defer` from <head>: it runs once the document is parsed, before DOMContentLoaded. */
(function () {
    "use strict";

    var STORE = "govsite-a11y";
    var root = document.documentElement;
    var bar = document.getElementById("a11y-bar");
    if (!bar) {
        return;
    }
    var panel = document.getElementById("a11y-panel");
    var steps = (bar.getAttribute("data-zoom-steps") || "1").split(" ").map(Number);
    var schemes = Array.prototype.map.call(
        bar.querySelectorAll("[data-a11y-scheme]"),
        function (button) { return button.getAttribute("data-a11y-scheme"); }
    );
    var defaults = { zoom: 1, elder: false, contrast: "", cursor: false, crosshair: false, pointRead: false };
    var state = load();
    var speech = window.speechSynthesis || null;
    var voice = null;
    var crosshair = null;
    var reading = false;

    function load() {
        var saved = {};
        try {
            saved = JSON.parse(window.localStorage.getItem(STORE) || "{}") || {};
        } catch (error) {
            saved = {};
        }
        var result = {};
        Object.keys(defaults).forEach(function (name) {
            result[name] = saved[name] === undefined ? defaults[name] : saved[name];
        });
        if (steps.indexOf(result.zoom) < 0) {
            result.zoom = 1;
        }
        if (schemes.indexOf(result.contrast) < 0) {
            result.contrast = "";
        }
        return result;
    }

    function save() {
        try {
            window.localStorage.setItem(STORE, JSON.stringify(state));
        } catch (error) {
            /* private mode or storage full: the choices last for this page only */
        }
    }

    function toggleClass(name, on) {
        if (on) {
            root.classList.add(name);
        } else {
            root.classList.remove(name);
        }
    }

    function pressed(selector, on) {
        Array.prototype.forEach.call(bar.querySelectorAll(selector), function (button) {
            button.setAttribute("aria-pressed", on ? "true" : "false");
        });
    }

    function apply() {
        Array.prototype.slice.call(root.classList).forEach(function (name) {
            if (name.indexOf("a11y-zoom-") === 0 || name.indexOf("a11y-contrast-") === 0) {
                root.classList.remove(name);
            }
        });
        if (state.zoom !== 1) {
            root.classList.add("a11y-zoom-" + Math.round(state.zoom * 100));
        }
        if (state.contrast) {
            root.classList.add("a11y-contrast-" + state.contrast);
        }
        toggleClass("a11y-elder", state.elder);
        toggleClass("a11y-cursor", state.cursor);
        pressed('[data-a11y-action="elder"]', state.elder);
        pressed('[data-a11y-action="cursor"]', state.cursor);
        pressed('[data-a11y-action="crosshair"]', state.crosshair);
        pressed('[data-a11y-action="point_read"]', state.pointRead);
        Array.prototype.forEach.call(bar.querySelectorAll("[data-a11y-scheme]"), function (button) {
            button.setAttribute("aria-pressed", button.getAttribute("data-a11y-scheme") === state.contrast ? "true" : "false");
        });
        var level = bar.querySelector("[data-a11y-zoom-level]");
        if (level) {
            level.textContent = Math.round(state.zoom * 100) + "%";
        }
        var index = steps.indexOf(state.zoom);
        bar.querySelector('[data-a11y-action="zoom_in"]').disabled = index >= steps.length - 1;
        bar.querySelector('[data-a11y-action="zoom_out"]').disabled = index <= 0;
        showCrosshair(state.crosshair);
    }

    function change(name, value) {
        state[name] = value;
        save();
        apply();
    }

    /* 十字线: two lines following the pointer; they never take a click (pointer-events: none). */
    function showCrosshair(on) {
        if (on && !crosshair) {
            crosshair = ["a11y-crosshair-x", "a11y-crosshair-y"].map(function (name) {
                var line = document.createElement("div");
                line.className = "a11y-crosshair " + name;
                line.setAttribute("aria-hidden", "true");
                document.body.appendChild(line);
                return line;
            });
            document.addEventListener("mousemove", moveCrosshair, { passive: true });
        } else if (!on && crosshair) {
            crosshair.forEach(function (line) { line.remove(); });
            crosshair = null;
            document.removeEventListener("mousemove", moveCrosshair);
        }
    }

    function moveCrosshair(event) {
        if (crosshair) {
            crosshair[0].style.top = event.clientY + "px";
            crosshair[1].style.left = event.clientX + "px";
        }
    }

    /* Reading aloud: only where the browser has a Chinese voice; otherwise its controls stay hidden. */
    var READABLE = "a, button, label, summary, h1, h2, h3, h4, h5, h6, p, li, dt, dd, td, th, caption, figcaption, legend, input, select, textarea";

    function findVoice() {
        if (!speech) {
            return;
        }
        var voices = speech.getVoices() || [];
        voice = voices.filter(function (v) { return /^zh[-_]CN/i.test(v.lang); })[0] ||
            voices.filter(function (v) { return /^zh/i.test(v.lang); })[0] || null;
        Array.prototype.forEach.call(bar.querySelectorAll("[data-a11y-speech]"), function (element) {
            element.hidden = !voice;
        });
    }

    function textOf(element) {
        if (element.matches("input, select, textarea")) {
            var label = element.labels && element.labels[0];
            return (label ? label.textContent : element.getAttribute("aria-label") || "") + " " + (element.value || "");
        }
        return (element.getAttribute("aria-label") || element.innerText || element.textContent || "").replace(/\s+/g, " ").trim();
    }

    function say(text, onEnd) {
        if (!voice || !text) {
            if (onEnd) {
                onEnd();
            }
            return;
        }
        var utterance = new window.SpeechSynthesisUtterance(text);
        utterance.voice = voice;
        utterance.lang = voice.lang;
        utterance.rate = 0.9;
        if (onEnd) {
            utterance.onend = onEnd;
        }
        speech.speak(utterance);
    }

    function stopReading() {
        reading = false;
        pressed('[data-a11y-action="continuous_read"]', false);
        if (speech) {
            speech.cancel();
        }
    }

    var lastPointed = null;
    function pointRead(event) {
        if (!state.pointRead || reading || !event.target.closest) {
            return;
        }
        var element = event.target.closest(READABLE);
        if (!element || element === lastPointed || bar.contains(element) && event.type === "mouseover") {
            return;
        }
        lastPointed = element;
        speech.cancel();
        say(textOf(element));
    }

    /* 连读: the readable blocks of the page from the focused (or pointed) element on, or from the
       start of the main content. */
    function continuousRead() {
        if (reading) {
            stopReading();
            return;
        }
        var main = document.getElementById("main") || document.body;
        var start = document.activeElement && document.activeElement !== document.body && !bar.contains(document.activeElement)
            ? document.activeElement : lastPointed || main;
        var blocks = Array.prototype.filter.call(
            document.querySelectorAll("h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, figcaption, caption, legend, label"),
            function (element) {
                var after = element === start || start.contains(element) || element.contains(start) ||
                    (start.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING);
                return after && !bar.contains(element) && !element.closest("[hidden]") &&
                    !element.parentElement.closest("p, li, dt, dd, th, td, label");
            }
        );
        if (!blocks.length) {
            return;
        }
        reading = true;
        pressed('[data-a11y-action="continuous_read"]', true);
        speech.cancel();
        var index = 0;
        (function next() {
            if (!reading || index >= blocks.length) {
                stopReading();
                return;
            }
            var block = blocks[index++];
            say(textOf(block), next);
        })();
    }

    function setPanel(open) {
        panel.hidden = !open;
        bar.querySelector('[data-a11y-action="toggle"]').setAttribute("aria-expanded", open ? "true" : "false");
    }

    var actions = {
        toggle: function () {
            setPanel(panel.hidden);
            if (!panel.hidden) {
                panel.querySelector("button:not([disabled])").focus();
            }
        },
        zoom_in: function () {
            var index = steps.indexOf(state.zoom);
            change("zoom", steps[Math.min(index + 1, steps.length - 1)]);
        },
        zoom_out: function () {
            var index = steps.indexOf(state.zoom);
            change("zoom", steps[Math.max(index - 1, 0)]);
        },
        elder: function () { change("elder", !state.elder); },
        contrast: function () {
            change("contrast", schemes[(schemes.indexOf(state.contrast) + 1) % schemes.length]);
        },
        cursor: function () { change("cursor", !state.cursor); },
        crosshair: function () { change("crosshair", !state.crosshair); },
        point_read: function () {
            if (voice) {
                change("pointRead", !state.pointRead);
                say(state.pointRead ? "指读已打开" : "指读已关闭");
            }
        },
        continuous_read: function () {
            if (voice) {
                continuousRead();
            }
        },
        reset: function () {
            stopReading();
            state = JSON.parse(JSON.stringify(defaults));
            save();
            apply();
        }
    };

    var keys = {};
    Array.prototype.forEach.call(bar.querySelectorAll("[data-a11y-key]"), function (element) {
        keys["Key" + element.getAttribute("data-a11y-key")] = element.getAttribute("data-a11y-action");
    });

    bar.addEventListener("click", function (event) {
        var button = event.target.closest("button");
        if (!button) {
            return;
        }
        if (button.hasAttribute("data-a11y-scheme")) {
            change("contrast", button.getAttribute("data-a11y-scheme"));
        } else if (actions[button.getAttribute("data-a11y-action")]) {
            actions[button.getAttribute("data-a11y-action")]();
        }
    });

    document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && reading) {
            stopReading();
            return;
        }
        if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) {
            return;
        }
        var action = keys[event.code];
        if (action && actions[action]) {
            event.preventDefault();
            if (action !== "toggle" && panel.hidden) {
                setPanel(true);
            }
            actions[action]();
        }
    });

    apply();
    bar.hidden = false;
    if (speech) {
        findVoice();
        speech.addEventListener("voiceschanged", findVoice);
        document.addEventListener("mouseover", pointRead);
        document.addEventListener("focusin", pointRead);
        window.addEventListener("pagehide", function () { speech.cancel(); });
    }
})();
