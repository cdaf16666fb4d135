#!/usr/bin/env bash
# Generates the spoken-digits data set: espeak-ng speaks "zero".."nine" in several voices and
# speeds; each utterance is resampled to 8 kHz, 16-bit mono and written to
# examples/data/spoken-digits/<voice>_<speed>_<digit>.wav, with a SHA256SUMS beside them.
# The WAVs are committed, so a fresh clone runs without espeak-ng; rerun this to regenerate.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/../data/spoken-digits"}

if ! command -v espeak-ng >/dev/null 2>&1; then
  echo "make-data.sh: installing espeak-ng with apt-get" >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get update -q && apt-get install -y -q espeak-ng
  else sudo apt-get update -q && sudo apt-get install -y -q espeak-ng; fi
fi

# Voice = language + variant (espeak-ng --voices=variant lists them): ten different speakers.
voices=(en+m1 en+m3 en+m7 en+f1 en+f3 en+f5 en-us+m2 en-us+f2 en-gb-scotland+m4 en-029+f4)
speeds=(130 175 220)   # words per minute
digits=(zero one two three four five six seven eight nine)

rm -rf "$out" && mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for voice in "${voices[@]}"; do
  for speed in "${speeds[@]}"; do
    for d in "${!digits[@]}"; do
      name="${voice//+/-}_${speed}_${d}"
      espeak-ng -v "$voice" -s "$speed" -w "$tmp/$name.wav" "${digits[$d]}"
    done
  done
done

# espeak-ng writes 22,050 Hz; resample to 8 kHz (speech below 4 kHz is enough for digits).
python3 - "$tmp" "$out" <<'PY'
import os, sys, wave, warnings
warnings.simplefilter("ignore", DeprecationWarning)
import audioop  # standard library up to Python 3.12
src, dst = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(src)):
    with wave.open(os.path.join(src, name), "rb") as w:
        channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
        frames = w.readframes(w.getnframes())
    if channels != 1:
        frames = audioop.tomono(frames, width, 0.5, 0.5)
    frames, _ = audioop.ratecv(frames, width, 1, rate, 8000, None)
    with wave.open(os.path.join(dst, name), "wb") as w:
        w.setnchannels(1); w.setsampwidth(width); w.setframerate(8000); w.writeframes(frames)
PY

(cd "$out" && sha256sum -- *.wav > SHA256SUMS)
echo "make-data.sh: wrote $(ls "$out"/*.wav | wc -l) files, $(du -sh "$out" | cut -f1) to $out" >&2
