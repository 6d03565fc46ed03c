// 文章工具 (issue 17 item 2): the article's 字号 kept for the next article, 打印, 关闭.
// Progressive: without this file 字号 still works on the page (CSS :target) and 关闭 is a link
// to the column. Nothing here changes the HTML the server sends; the choice lives in
// localStorage and is applied as an attribute of <html> (site.css reads it).
(function () {
    "use strict";
    var KEY = "govsite-font-size";
    var SIZES = ["large", "medium", "small"];
    var root = document.documentElement;

    function stored() {
        try {
            var value = window.localStorage.getItem(KEY);
            return SIZES.indexOf(value) >= 0 ? value : null;
        } catch (error) {
            return null;
        }
    }

    function apply(size) {
        if (size) {
            root.setAttribute("data-font-size", size);
        } else {
            root.removeAttribute("data-font-size");
        }
        var links = document.querySelectorAll("[data-font-size]");
        for (var i = 0; i < links.length; i++) {
            if (links[i] === root) {
                continue;
            }
            if (links[i].getAttribute("data-font-size") === size) {
                links[i].setAttribute("aria-current", "true");
            } else {
                links[i].removeAttribute("aria-current");
            }
        }
    }

    function choose(size) {
        try {
            window.localStorage.setItem(KEY, size);
        } catch (error) {
            // Private mode: the size holds for this page only.
        }
        apply(size);
    }

    apply(stored());

    document.addEventListener("DOMContentLoaded", function () {
        apply(stored());
        var tools = document.querySelector(".article-tools");
        if (!tools) {
            return;
        }
        var print = tools.querySelector("[data-article-tool=print]");
        if (print && typeof window.print === "function") {
            print.hidden = false;
            print.addEventListener("click", function () {
                window.print();
            });
        }
        var close = tools.querySelector("[data-article-tool=close]");
        if (close) {
            close.addEventListener("click", function (event) {
                // A window the site (or a link with target=_blank) opened on its own closes;
                // anywhere else the link leads back to the column.
                if (window.opener || window.history.length <= 1) {
                    event.preventDefault();
                    window.close();
                    // A browser that refuses to close it: back to the column.
                    window.setTimeout(function () {
                        window.location.href = close.href;
                    }, 300);
                }
            });
        }
        tools.addEventListener("click", function (event) {
            var link = event.target.closest("a[data-font-size]");
            if (!link) {
                return;
            }
            event.preventDefault();
            choose(link.getAttribute("data-font-size"));
        });
    });
})();
