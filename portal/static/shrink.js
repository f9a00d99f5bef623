// Shrink photos on the phone before they are uploaded: a 4 MB camera photo
// becomes a few hundred KB, and its EXIF (GPS included) never leaves the
// phone.  Optional: without JavaScript the server does the same after upload.
(function () {
  var input = document.getElementById("foto");
  if (!input || !window.DataTransfer || !window.Promise || !HTMLCanvasElement.prototype.toBlob) return;
  var MAX = 1600;
  var button = input.form.querySelector("button[type=submit]");

  // The photo's own location, offered (never used) before shrinking drops
  // the EXIF: the consent box shows only when a photo carries GPS.
  var consent = document.getElementById("foto-gps");
  if (consent) consent.hidden = true;
  input.addEventListener("change", function () {
    var files = Array.prototype.slice.call(input.files);
    if (!files.length) return;
    if (consent) readGps(files[0]).then(function (at) {
      consent.hidden = !at;
      consent.setAttribute("data-at", at ? at.join(",") : "");
    });
    button.disabled = true;
    Promise.all(files.map(shrink)).then(function (shrunk) {
      var list = new DataTransfer();
      shrunk.forEach(function (file) { list.items.add(file); });
      input.files = list.files;
    }).then(done, done);
  });

  function done() { button.disabled = false; }

  input.form.addEventListener("submit", function () {
    var box = document.getElementById("lokasi_foto"), at = consent && consent.getAttribute("data-at");
    var lat = document.getElementById("lat"), lon = document.getElementById("lon");
    if (box && box.checked && at && !lat.value && !lon.value) {
      lat.value = at.split(",")[0];
      lon.value = at.split(",")[1];
    }
  });

  function readGps(file) {
    if (file.type !== "image/jpeg" || !file.slice(0, 1).arrayBuffer) return Promise.resolve(null);
    return file.slice(0, 131072).arrayBuffer().then(function (buffer) {
      try { return jpegGps(new DataView(buffer)); } catch (e) { return null; }
    }, function () { return null; });
  }

  function jpegGps(v) {
    if (v.getUint16(0) !== 0xFFD8) return null;
    for (var o = 2; o + 10 < v.byteLength; o += 2 + v.getUint16(o + 2)) {
      var marker = v.getUint16(o);
      if (marker === 0xFFE1 && v.getUint32(o + 4) === 0x45786966) return tiffGps(v, o + 10);
      if ((marker & 0xFF00) !== 0xFF00) return null;
    }
    return null;
  }

  function tiffGps(v, t) {
    var le = v.getUint16(t) === 0x4949, tags = {}, gps = 0, i, e;
    function u16(p) { return v.getUint16(t + p, le); }
    function u32(p) { return v.getUint32(t + p, le); }
    var ifd = u32(4);
    for (i = 0; i < u16(ifd); i++) { e = ifd + 2 + i * 12; if (u16(e) === 0x8825) gps = u32(e + 8); }
    if (!gps) return null;
    for (i = 0; i < u16(gps); i++) { e = gps + 2 + i * 12; tags[u16(e)] = e; }
    function ref(tag) { return tags[tag] ? String.fromCharCode(v.getUint8(t + tags[tag] + 8)) : ""; }
    function dms(tag) {
      if (!tags[tag]) return NaN;
      var p = u32(tags[tag] + 8);
      function r(k) { return u32(p + k * 8) / u32(p + k * 8 + 4); }
      return r(0) + r(1) / 60 + r(2) / 3600;
    }
    var lat = dms(2), lon = dms(4);
    if (!isFinite(lat) || !isFinite(lon)) return null;
    return [(ref(1) === "S" ? -lat : lat).toFixed(6), (ref(3) === "W" ? -lon : lon).toFixed(6)];
  }

  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type)) return Promise.resolve(file);
    return new Promise(function (resolve) {
      var image = new Image();
      var url = URL.createObjectURL(file);
      image.onerror = function () { URL.revokeObjectURL(url); resolve(file); };
      image.onload = function () {
        var scale = Math.min(1, MAX / Math.max(image.naturalWidth, image.naturalHeight));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(image.naturalWidth * scale);
        canvas.height = Math.round(image.naturalHeight * scale);
        var context = canvas.getContext("2d");
        context.fillStyle = "#fff";  // transparent PNG areas become white, as on the server
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) {
          // Keep the original when shrinking would not make it smaller.
          if (!blob || blob.size >= file.size) return resolve(file);
          resolve(new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", {type: "image/jpeg"}));
        }, "image/jpeg", 0.85);
      };
      image.src = url;
    });
  }
})();

// "Gunakan lokasi saya": fills Lintang/Bujur from the phone's position.
// Added by this script, so without JavaScript (or without geolocation) the
// citizen never sees a button that cannot work; the fields stay typeable.
(function () {
  var pair = document.getElementById("koordinat");
  var lat = document.getElementById("lat"), lon = document.getElementById("lon");
  if (!pair || !lat || !lon || !navigator.geolocation) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "locate";
  button.textContent = pair.getAttribute("data-label") || "Gunakan lokasi saya";
  var status = document.createElement("p");
  status.className = "hint";
  status.setAttribute("role", "status");
  pair.parentNode.insertBefore(button, pair);
  pair.parentNode.insertBefore(status, pair.nextSibling);
  button.addEventListener("click", function () {
    status.textContent = pair.getAttribute("data-wait") || "Mencari lokasi…";
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lon.value = position.coords.longitude.toFixed(6);
      status.textContent = (pair.getAttribute("data-done") || "Lokasi terisi: ± %m m.")
        .replace("%m", Math.round(position.coords.accuracy));
    }, function () {
      status.textContent = pair.getAttribute("data-failed") || "Lokasi tidak dapat dibaca; isi manual.";
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  });
})();
