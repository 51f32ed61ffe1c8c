#!/bin/bash -eu
# OSS-Fuzz and ClusterFuzzLite build (README "Fuzzing"): the fuzz targets of the hand models
# and the case parser into $OUT, each with <target>_seed_corpus.zip (the corpus cases that run
# clean on it, encoded), a dictionary and an .options file. $CC $CXX $CFLAGS $CXXFLAGS reach
# CMake through the environment, $LIB_FUZZING_ENGINE through fuzz/CMakeLists.txt. The
# linux-6.1 targets are left out: they compile the kernel tree at run time, which a runner
# cannot; seed-v5's are demonstrations whose findings are known.
cd "$SRC/iovet"
build=build-ossfuzz
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DIOVET_FUZZ=ON -DIOVET_BENCH=OFF
targets=(dma_mainline iova_mainline pgtable_mainline pgtable_impl smmu_mainline parse)
cmake --build "$build" -j"$(nproc)" --target iovet_fuzz_seeds "${targets[@]/#/iovet_fuzz_}"
for t in "${targets[@]}"; do
  exe=iovet_fuzz_$t
  cp "$build/fuzz/$exe" "$OUT/"
  seeds=$(mktemp -d)
  if [ "$t" = parse ]; then
    cp corpus/*/*.json "$seeds/"
  else
    # The variant name back from the target's (dma_mainline -> dma mainline).
    "$build/fuzz/iovet_fuzz_seeds" "${t%%_*}" "${t#*_}" "$seeds" corpus
    cp fuzz/iovet.dict "$OUT/$exe.dict"
  fi
  rm -f "$OUT/${exe}_seed_corpus.zip"
  (cd "$seeds" && zip -q -r "$OUT/${exe}_seed_corpus.zip" .)
  rm -rf "$seeds"
  {
    echo "[libfuzzer]"
    [ "$t" = parse ] || echo "dict = $exe.dict"
    # The judge's many features make the entropic schedule cost more than it finds here.
    echo "entropic = 0"
  } > "$OUT/$exe.options"
done
