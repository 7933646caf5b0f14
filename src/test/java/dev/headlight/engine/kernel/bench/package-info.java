/**
 * Kernel benchmarks (test scope, not shipped).
 * <p>
 * JMH, careful numbers (forks, warm-up, statistics), with a GFLOP/s table at the end:
 * <pre>
 * export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
 * CP=target/test-classes:target/classes:$(cat target/test-classpath.txt)
 * $JAVA_HOME/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp $CP \
 *     dev.headlight.engine.kernel.bench.BenchMain MatmulBenchmark            # all shapes, F32+BF16, 1+2 threads
 * ... BenchMain MatmulBenchmark -p threads=2 -p dtype=BF16 -p shape=768x50257/outin
 * ... BenchMain MatmulBenchmark -jvmArgsAppend -Dheadlight.vector.bits=256  # 256-bit instead of 512-bit vectors
 * ... BenchMain MatmulBenchmark -p kernels=scalar -p shape=768x2304/inout   # the plain-Java reference
 * </pre>
 * (plain {@code org.openjdk.jmh.Main} works too; BenchMain only adds the GFLOP/s column.)
 * <p>
 * Quick table without forks ({@link dev.headlight.engine.kernel.bench.KernelSpeed}, best of several calls):
 * <pre>
 * $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -cp $CP dev.headlight.engine.kernel.bench.KernelSpeed 1 2
 * </pre>
 * {@link dev.headlight.engine.kernel.bench.WarmUpSpeed} shows what {@code Kernels.warmUp()} buys on the first call;
 * {@link dev.headlight.engine.kernel.bench.AttentionSpeed} compares attention per (query, key) pair (dot + axpy)
 * with per-head gemmTransposed + gemm, and geluTanh with a Math.tanh loop;
 * {@code dev.headlight.engine.kernel.ConvertSpeed} measures weight conversion (F32 / BF16 / F16 to float).
 * The machine's cores are often shared: take the best of several runs; on one thread KernelSpeed also prints
 * GFLOP/s by CPU time, which leaves out the time slices other processes took.
 */
package dev.headlight.engine.kernel.bench;
