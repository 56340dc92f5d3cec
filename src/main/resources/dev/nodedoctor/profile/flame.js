"use strict";
// nodedoctor flame graph: hover for details, click a frame to zoom into it, "Reset Zoom" or Escape to go
// back, "Search" or Ctrl-F to highlight frames matching a regular expression, "ic" or Ctrl-I to ignore case.
(function () {
	var NAMETYPE = @NAMETYPE@;
	var svg, details, unzoomBtn, searchBtn, icBtn, matchedTxt, frames = [], fontSize, fontWidth, xpad, inverted;
	var fullWidth, zoomed = null, term = null, ignoreCase = false;

	function attr(el, name) { return el.getAttribute(name); }
	function num(el, name) { return parseFloat(el.getAttribute(name)); }

	function nameOf(title) {
		// "name (1,234 samples, 5.00%)": the name is everything before the last " ("
		var i = title.lastIndexOf(" (");
		return i < 0 ? title : title.substring(0, i);
	}

	function fit(f, width) {
		var chars = Math.floor(width / (fontSize * fontWidth));
		if (chars < 3 || f.root) return "";
		var chs = Array.from(f.name);
		if (chars < chs.length) return chs.slice(0, chars - 2).join("") + "..";
		return f.name;
	}

	function place(f, x, w) {
		f.rect.setAttribute("x", x.toFixed(1));
		f.rect.setAttribute("width", w.toFixed(1));
		f.text.setAttribute("x", (x + 3).toFixed(2));
		f.text.textContent = fit(f, w);
	}

	function init() {
		svg = document.querySelector("svg[data-fontsize]");
		if (!svg || svg.__flame) return;
		svg.__flame = true;
		fontSize = parseFloat(attr(svg, "data-fontsize"));
		fontWidth = parseFloat(attr(svg, "data-fontwidth"));
		xpad = parseFloat(attr(svg, "data-xpad"));
		inverted = attr(svg, "data-inverted") === "true";
		fullWidth = parseFloat(svg.getAttribute("width")) - 2 * xpad;
		details = document.getElementById("details").firstChild;
		unzoomBtn = document.getElementById("unzoom");
		searchBtn = document.getElementById("search");
		icBtn = document.getElementById("ignorecase");
		matchedTxt = document.getElementById("matched");
		var gs = document.getElementById("frames").children;
		for (var i = 0; i < gs.length; i++) {
			var g = gs[i];
			var title = g.querySelector("title").textContent;
			var rect = g.querySelector("rect");
			var f = {
				g: g, rect: rect, text: g.querySelector("text"), title: title, name: nameOf(title),
				root: /^all \(/.test(title) && num(rect, "width") >= fullWidth - 0.5,
				x: num(rect, "x"), w: num(rect, "width"), y: num(rect, "y"), fill: attr(rect, "fill")
			};
			frames.push(f);
			g.addEventListener("mouseover", show.bind(null, f));
			g.addEventListener("mouseout", function () { details.nodeValue = " "; });
			g.addEventListener("click", zoom.bind(null, f));
		}
		unzoomBtn.addEventListener("click", unzoom);
		searchBtn.addEventListener("click", function () {
			if (term === null) { ask(); } else { clearSearch(); }
		});
		icBtn.addEventListener("click", toggleCase);
		// a link can carry a view: #zoom=NAME zooms into the first frame called NAME, #s=REGEX searches
		var h = decodeURIComponent((window.location.hash || "").substring(1));
		var zm = /(?:^|&)zoom=([^&]*)/.exec(h), sm = /(?:^|&)s=([^&]*)/.exec(h);
		if (zm) {
			for (var k = 0; k < frames.length; k++) {
				if (frames[k].name === zm[1]) { zoom(frames[k]); break; }
			}
		}
		if (sm) search(sm[1]);
		window.addEventListener("keydown", function (e) {
			if ((e.ctrlKey || e.metaKey) && (e.key === "f" || e.key === "F")) { e.preventDefault(); ask(); }
			else if ((e.ctrlKey || e.metaKey) && (e.key === "i" || e.key === "I")) { e.preventDefault(); toggleCase(); }
			else if (e.key === "Escape") { unzoom(); clearSearch(); }
		});
	}

	function show(f) {
		details.nodeValue = NAMETYPE + " " + f.title;
	}

	function zoom(f) {
		if (f.root) { unzoom(); return; }
		zoomed = f;
		var ratio = fullWidth / f.w, eps = 0.0001;
		frames.forEach(function (o) {
			var inside = o.x >= f.x - eps && o.x + o.w <= f.x + f.w + eps;
			var covers = o.x <= f.x + eps && o.x + o.w >= f.x + f.w - eps;
			var above = inverted ? o.y > f.y : o.y < f.y;
			var below = inverted ? o.y < f.y : o.y > f.y;
			o.g.classList.remove("parent");
			o.g.classList.remove("hide");
			if (o === f || (inside && above)) {
				place(o, xpad + (o.x - f.x) * ratio, o.w * ratio);
			} else if (covers && below) {
				o.g.classList.add("parent");
				place(o, xpad, fullWidth);
			} else {
				o.g.classList.add("hide");
			}
		});
		unzoomBtn.classList.remove("hide");
		if (term !== null) search(term);
	}

	function unzoom() {
		zoomed = null;
		frames.forEach(function (o) {
			o.g.classList.remove("parent");
			o.g.classList.remove("hide");
			place(o, o.x, o.w);
		});
		unzoomBtn.classList.add("hide");
		if (term !== null) search(term);
	}

	function ask() {
		var t = window.prompt("Search for (a regular expression, e.g. ^ext4_" + (ignoreCase ? ", ignoring case" : "") + "):", term || "");
		if (t) search(t);
	}

	function toggleCase() {
		ignoreCase = !ignoreCase;
		icBtn.classList.toggle("show", ignoreCase);
		if (term !== null) search(term);
	}

	function clearSearch() {
		term = null;
		frames.forEach(function (o) { o.rect.setAttribute("fill", o.fill); });
		searchBtn.classList.remove("show");
		searchBtn.firstChild.nodeValue = "Search";
		matchedTxt.firstChild.nodeValue = " ";
	}

	function search(t) {
		var re;
		try { re = new RegExp(t, ignoreCase ? "i" : ""); } catch (e) { window.alert("Not a regular expression: " + e.message); return; }
		term = t;
		// widths of matching frames, keeping only the outermost of nested matches so nothing counts twice
		var spans = [], total = 0;
		frames.forEach(function (o) {
			var hit = !o.root && re.test(o.name);
			o.rect.setAttribute("fill", hit ? "rgb(230,0,230)" : o.fill);
			if (o.root) total = o.w;
			if (hit && !o.g.classList.contains("hide")) spans.push([o.x, o.x + o.w]);
		});
		spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
		var covered = 0, end = -Infinity;
		spans.forEach(function (s) {
			if (s[0] >= end - 0.0001) { covered += s[1] - s[0]; end = s[1]; }
		});
		var base = zoomed ? zoomed.w : total;
		var pct = base > 0 ? 100 * Math.min(covered, base) / base : 0;
		searchBtn.classList.add("show");
		searchBtn.firstChild.nodeValue = "Reset Search";
		matchedTxt.firstChild.nodeValue = "Matched: " + (pct === 100 ? "100" : pct.toFixed(1)) + "%";
	}

	if (document.readyState === "loading") {
		document.addEventListener("DOMContentLoaded", init);
	} else {
		init();
	}
	window.addEventListener("load", init);
})();
