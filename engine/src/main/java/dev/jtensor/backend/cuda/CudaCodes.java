package dev.jtensor.backend.cuda;

import static dev.jtensor.bindings.cuda.jtensor_cuda_h.*;

import dev.jtensor.DType;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.ReduceKernel;
import dev.jtensor.backend.UnaryKernel;

/**
 * The CUDA ABI's codes for dtypes and kernels ({@code JT_*} of {@code jtensor_cuda.h}). Exhaustive switches: a new
 * constant fails to compile here until the launchers know it.
 */
final class CudaCodes {
    private CudaCodes() {}

    static int code(DType t) {
        return switch (t) {
            case FLOAT32 -> JT_FLOAT32();
            case FLOAT64 -> JT_FLOAT64();
            case FLOAT16 -> JT_FLOAT16();
            case BFLOAT16 -> JT_BFLOAT16();
            case INT8 -> JT_INT8();
            case UINT8 -> JT_UINT8();
            case INT16 -> JT_INT16();
            case INT32 -> JT_INT32();
            case INT64 -> JT_INT64();
            case BOOL -> JT_BOOL();
        };
    }

    static int code(UnaryKernel k) {
        return switch (k) {
            case NEG -> JT_NEG();
            case ABS -> JT_ABS();
            case SIGN -> JT_SIGN();
            case EXP -> JT_EXP();
            case EXPM1 -> JT_EXPM1();
            case LOG -> JT_LOG();
            case LOG1P -> JT_LOG1P();
            case LOG2 -> JT_LOG2();
            case SQRT -> JT_SQRT();
            case RSQRT -> JT_RSQRT();
            case SQUARE -> JT_SQUARE();
            case RECIPROCAL -> JT_RECIPROCAL();
            case SIN -> JT_SIN();
            case COS -> JT_COS();
            case TAN -> JT_TAN();
            case TANH -> JT_TANH();
            case SIGMOID -> JT_SIGMOID();
            case RELU -> JT_RELU();
            case ERF -> JT_ERF();
            case GELU -> JT_GELU();
            case GELU_TANH -> JT_GELU_TANH();
            case SILU -> JT_SILU();
            case FLOOR -> JT_FLOOR();
            case CEIL -> JT_CEIL();
            case ROUND -> JT_ROUND();
            case TRUNC -> JT_TRUNC();
            case CLAMP -> JT_CLAMP();
            case NAN_TO_NUM -> JT_NAN_TO_NUM();
            case ISNAN -> JT_ISNAN();
            case ISINF -> JT_ISINF();
            case ISFINITE -> JT_ISFINITE();
            case LOGICAL_NOT -> JT_LOGICAL_NOT();
            case IDENTITY -> JT_IDENTITY();
            case FILL -> JT_FILL();
        };
    }

    static int code(BinaryKernel k) {
        return switch (k) {
            case ADD -> JT_ADD();
            case SUB -> JT_SUB();
            case MUL -> JT_MUL();
            case DIV -> JT_DIV();
            case FLOOR_DIV -> JT_FLOOR_DIV();
            case REMAINDER -> JT_REMAINDER();
            case POW -> JT_POW();
            case MAXIMUM -> JT_MAXIMUM();
            case MINIMUM -> JT_MINIMUM();
            case ATAN2 -> JT_ATAN2();
            case THRESHOLD_BACKWARD -> JT_THRESHOLD_BACKWARD();
            case EQ -> JT_EQ();
            case NE -> JT_NE();
            case LT -> JT_LT();
            case LE -> JT_LE();
            case GT -> JT_GT();
            case GE -> JT_GE();
            case LOGICAL_AND -> JT_LOGICAL_AND();
            case LOGICAL_OR -> JT_LOGICAL_OR();
            case LOGICAL_XOR -> JT_LOGICAL_XOR();
        };
    }

    static int code(ReduceKernel k) {
        return switch (k) {
            case SUM -> JT_SUM();
            case PROD -> JT_PROD();
            case AMAX -> JT_AMAX();
            case AMIN -> JT_AMIN();
            case MAX -> JT_MAX();
            case MIN -> JT_MIN();
            case ALL -> JT_ALL();
            case ANY -> JT_ANY();
            case NORM -> JT_NORM();
            case VAR -> JT_VAR();
            case LOGSUMEXP -> JT_LOGSUMEXP();
        };
    }
}
