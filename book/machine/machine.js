// machine.js - a live PC in a chapter page: each <div class="machine"
// data-step="NN"> becomes an 80x25 text screen with COM1's output beside it.
// A click boots step NN's own build/os.img in v86, an x86 emulator compiled
// to WebAssembly, with Debian's SeaBIOS and VGA BIOS.
//
// The page may be opened as a file (file://), where the browser refuses
// fetch() and XMLHttpRequest. So nothing is fetched: the emulator, its
// WebAssembly, the BIOS and the disk image come in <script> files that
// book/build.py generates, holding the bytes as base64 text:
//   machine/v86.js        the emulator (npm package v86), defines V86
//   machine/v86-wasm.js   BOOK_MACHINE.wasm
//   machine/bios.js       BOOK_MACHINE.bios, BOOK_MACHINE.vga_bios
//   machine/stepNN.js     BOOK_MACHINE.stepNN = {size, data}: the image
//                         without its trailing zeros, and its full size
// They load on the first click only, so reading a chapter costs nothing.
//
// For the tests and the bench, each machine says how it is doing in
// attributes of its div: data-state (idle, loading, booting, ready, error),
// data-load-ms (click to first instruction) and data-boot-ms (first
// instruction, or reset, to "stepNN: ready" on COM1).

"use strict";

(function () {
    var BASE = "machine/";
    var loaded = {};
    window.BOOK_MACHINE = window.BOOK_MACHINE || {};

    function loadScript(name) {
        if (!loaded[name]) {
            loaded[name] = new Promise(function (resolve, reject) {
                var script = document.createElement("script");
                script.src = BASE + name;
                script.onload = resolve;
                script.onerror = function () {
                    reject(new Error("could not load " + BASE + name));
                };
                document.head.appendChild(script);
            });
        }
        return loaded[name];
    }

    function bytes(base64, size) {
        var text = atob(base64);
        var out = new Uint8Array(size === undefined ? text.length : size);
        for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
        return out.buffer;
    }

    function element(tag, className, text) {
        var e = document.createElement(tag);
        if (className) e.className = className;
        if (text) e.textContent = text;
        return e;
    }

    function Machine(div) {
        this.div = div;
        this.step = div.getAttribute("data-step");
        this.name = "step" + this.step;
        this.emulator = null;
        this.serialText = "";
        this.line = "";
        this.build();
        this.setState("idle", "Not started. Click the screen to boot " + this.name + ".");
    }

    Machine.prototype.build = function () {
        var self = this;
        var bar = element("div", "machine-bar");
        this.bootButton = element("button", "machine-boot", "Boot " + this.name);
        this.resetButton = element("button", "machine-reset", "Reset");
        this.resetButton.disabled = true;
        this.status = element("span", "machine-status");
        this.status.setAttribute("role", "status");
        bar.append(this.bootButton, this.resetButton, this.status);

        // The structure v86 draws into: a text layer and a graphics canvas.
        this.screen = element("div", "machine-screen");
        this.screen.tabIndex = 0;
        this.screen.title = "The PC's screen: click it, then type";
        this.text = element("div", "machine-text");
        this.canvas = element("canvas");
        this.canvas.style.display = "none";
        this.cover = element("button", "machine-cover", "\u25B6 Boot " + this.name);
        this.screen.append(this.text, this.canvas, this.cover);

        var serialBox = element("div", "machine-serial-box");
        serialBox.append(element("div", "machine-label", "COM1 (serial)"));
        this.serial = element("pre", "machine-serial");
        serialBox.append(this.serial);

        var body = element("div", "machine-body");
        body.append(this.screen, serialBox);
        this.div.insertBefore(body, this.div.firstChild);
        this.div.insertBefore(bar, body);

        this.bootButton.addEventListener("click", function () { self.boot(); });
        this.cover.addEventListener("click", function () { self.boot(); });
        this.resetButton.addEventListener("click", function () { self.reset(); });
        // Keys go to the PC only while its screen has the focus.
        this.screen.addEventListener("focus", function () { self.keys(true); });
        this.screen.addEventListener("blur", function () { self.keys(false); });
    };

    Machine.prototype.setState = function (state, message) {
        this.div.setAttribute("data-state", state);
        this.status.textContent = message;
    };

    Machine.prototype.keys = function (on) {
        if (this.emulator) this.emulator.keyboard_set_enabled(on);
        this.div.classList.toggle("machine-focused", on);
    };

    Machine.prototype.boot = function () {
        var self = this;
        if (this.emulator || this.div.getAttribute("data-state") === "loading") return;
        var clicked = performance.now();
        this.cover.remove();
        this.bootButton.disabled = true;
        this.setState("loading", "Loading the emulator and " + this.name + "'s disk image\u2026");
        Promise.all(["v86.js", "v86-wasm.js", "bios.js", this.name + ".js"].map(loadScript))
            .then(function () { self.start(clicked); })
            .catch(function (error) { self.fail(error); });
    };

    Machine.prototype.start = function (clicked) {
        var self = this;
        var data = window.BOOK_MACHINE;
        var image = data[this.name];
        if (!window.V86 || !data.wasm || !data.bios || !image) {
            throw new Error("the machine's files are incomplete; run make book again");
        }
        var wasm = bytes(data.wasm);
        this.emulator = new window.V86({
            wasm_fn: function (imports) {
                return WebAssembly.instantiate(wasm, imports).then(function (result) {
                    return result.instance.exports;
                });
            },
            // As much RAM as QEMU gives make run by default.
            memory_size: 128 * 1024 * 1024,
            vga_memory_size: 2 * 1024 * 1024,
            bios: { buffer: bytes(data.bios) },
            vga_bios: { buffer: bytes(data.vga_bios) },
            hda: { buffer: bytes(image.data, image.size) },
            screen: { container: this.screen },
            disable_mouse: true,
            // Its speaker loads an audio worklet, which a file:// page cannot.
            disable_speaker: true,
            autostart: true,
        });
        this.emulator.add_listener("emulator-started", function () {
            self.started = performance.now();
            self.div.setAttribute("data-load-ms", Math.round(self.started - clicked));
            self.keys(document.activeElement === self.screen);
            self.setState("booting", "Booting " + self.name + "\u2026");
        });
        this.emulator.add_listener("serial0-output-byte", function (byte) { self.serialByte(byte); });
        this.resetButton.disabled = false;
        this.screen.focus();
    };

    Machine.prototype.serialByte = function (byte) {
        var self = this;
        var c = String.fromCharCode(byte);
        if (c === "\r") return;
        if (c === "\b") {
            this.serialText = this.serialText.slice(0, -1);
            this.line = this.line.slice(0, -1);
        } else {
            this.serialText += c;
            this.line += c;
        }
        if (this.serialText.length > 20000) this.serialText = this.serialText.slice(-16000);
        // Every step says "stepNN: ready" on COM1 once it waits for input.
        if (c === "\n") {
            if (this.line === this.name + ": ready\n" &&
                this.div.getAttribute("data-state") === "booting") {
                var ms = Math.round(performance.now() - this.started);
                this.div.setAttribute("data-boot-ms", ms);
                this.setState("ready", this.name + " is ready (booted in " +
                              (ms / 1000).toFixed(2) + " s). Click the screen to type; " +
                              "click outside it to give the keys back to the page.");
            }
            this.line = "";
        }
        // Draw once per frame, however many bytes came.
        if (!this.drawing) {
            this.drawing = true;
            requestAnimationFrame(function () { self.drawSerial(); });
        }
    };

    Machine.prototype.drawSerial = function () {
        this.drawing = false;
        var box = this.serial;
        var atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
        box.textContent = this.serialText;
        if (atEnd) box.scrollTop = box.scrollHeight;
    };

    Machine.prototype.reset = function () {
        if (!this.emulator) return;
        this.serialText = "";
        this.line = "";
        this.serial.textContent = "";
        this.div.removeAttribute("data-boot-ms");
        this.started = performance.now();
        this.setState("booting", "Reset: booting " + this.name + " again\u2026");
        this.emulator.restart();
        this.screen.focus();
    };

    Machine.prototype.fail = function (error) {
        this.setState("error", "The machine could not start: " + error.message);
        this.bootButton.disabled = false;
        console.error(error);
    };

    function setup() {
        var divs = document.querySelectorAll("div.machine[data-step]");
        for (var i = 0; i < divs.length; i++) divs[i].machine = new Machine(divs[i]);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", setup);
    } else {
        setup();
    }
})();
