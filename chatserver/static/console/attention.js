// Attention for new chats, messages and alerts: a WebAudio tone and a count in the title.

import { $ } from "./util.js";

const BASE_TITLE = document.title;
let unseen = 0;
let countUnread = () => 0;

/** Tell the title where the per-chat unread counts come from. */
export function countUnreadWith(count) {
  countUnread = count;
}

let audio = null;

function beep() {
  if ($("mute").checked) return;
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 660;
    gain.gain.setValueAtTime(0.001, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.2, audio.currentTime + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.35);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.4);
  } catch (_) {
    // No audio device: the title still tells.
  }
}

export function attention() {
  if (document.hidden || !document.hasFocus()) unseen += 1;
  updateTitle();
  beep();
}

export function updateTitle() {
  const unread = unseen + countUnread();
  document.title = unread ? `(${unread}) ${BASE_TITLE}` : BASE_TITLE;
}

function seen() {
  unseen = 0;
  updateTitle();
}

window.addEventListener("focus", seen);
document.addEventListener("visibilitychange", () => {
  if (!document.hidden) seen();
});
$("mute").checked = localStorage.getItem("nabij.console.mute") === "1";
$("mute").addEventListener("change", () => {
  localStorage.setItem("nabij.console.mute", $("mute").checked ? "1" : "0");
});
