// Focus after htmx swaps part of a staff page.  Without this, the element
// that had focus (the pressed button, a queue link) is replaced and focus
// falls back to <body>: a keyboard or screen reader user starts over at the
// top of the page.
//
// - An action or a filter the user asked for (submit, a clicked link): focus
//   goes to the result message, or else to the swapped region's heading
//   (both carry tabindex="-1").
// - A refresh nobody asked for (the queue polling): focus stays where it
//   was; if it was inside the replaced region, it moves to the same link or
//   field in the new content.
(function () {
  "use strict";
  var pending = null;

  function describe(el) {
    return {id: el.id, tag: el.tagName.toLowerCase(), href: el.getAttribute("href"),
            name: el.getAttribute("name")};
  }

  function same(region, was) {
    if (was.id) return document.getElementById(was.id);
    var attr = was.href ? "href" : (was.name ? "name" : null);
    if (!attr) return null;
    var candidates = region.querySelectorAll(was.tag + "[" + attr + "]");
    for (var i = 0; i < candidates.length; i++) {
      if (candidates[i].getAttribute(attr) === was[attr]) return candidates[i];
    }
    return null;
  }

  // The result message, else the region's first marked heading or result,
  // else the region itself.
  function landing(region) {
    var goal = document.querySelector("#hasil [tabindex='-1']") ||
      region.querySelector("[tabindex='-1']") || region;
    if (!goal.hasAttribute("tabindex")) goal.setAttribute("tabindex", "-1");
    return goal;
  }

  // A live region refreshed with the same text would be read out again at
  // every poll: it keeps its old content unless something changed.
  document.addEventListener("htmx:oobBeforeSwap", function (evt) {
    var target = evt.detail.target;
    if (!target || target.getAttribute("data-live") !== "changes") return;
    var text = function (node) { return node.textContent.replace(/\s+/g, " ").trim(); };
    if (text(evt.detail.fragment) === text(target)) evt.detail.shouldSwap = false;
  });

  document.addEventListener("htmx:beforeSwap", function (evt) {
    if (!evt.detail.shouldSwap || !evt.detail.target) return;
    var target = evt.detail.target;
    var active = document.activeElement;
    var config = evt.detail.requestConfig || {};
    var trigger = config.triggeringEvent;
    pending = {
      id: target.id,
      asked: !!trigger && (trigger.type === "submit" || trigger.type === "click"),
      inside: active && active !== document.body && target.contains(active) ? describe(active) : null
    };
  });

  document.addEventListener("htmx:afterSettle", function () {
    var was = pending;
    pending = null;
    if (!was || !was.id) return;
    var region = document.getElementById(was.id);
    if (!region) return;
    var active = document.activeElement;
    var lost = !active || active === document.body || !document.documentElement.contains(active);
    var goal = null;
    if (was.asked) {
      goal = landing(region);
    } else if (was.inside && lost) {
      goal = same(region, was.inside) || landing(region);
    }
    if (goal) goal.focus();
  });
})();
