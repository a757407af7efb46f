/*
 * libclang.h - the functions of libclang the importer calls, loaded at run
 * time (libclang.c) rather than linked: libclang and the LLVM libraries it
 * pulls in take some 26 million instructions to relocate at start-up, twice
 * what validating specs/xen costs, and only compare and import need them.
 *
 * Private to src/import/.  A file that calls libclang includes this
 * header (which includes <clang-c/Index.h> for the types): its macros turn
 * each call clang_NAME(...) into a call through the loaded table.  A
 * function used anywhere must be listed here (the build fails otherwise:
 * the call would name a function that nothing links).  The prototypes are
 * libclang 14's (clang-c/Index.h).
 */
#ifndef XBG_IMPORT_LIBCLANG_H
#define XBG_IMPORT_LIBCLANG_H

#ifdef HAVE_LIBCLANG

#include <clang-c/Index.h>

#define LIBCLANG_FUNCTIONS(F) \
	F(CXEvalResult, Cursor_Evaluate, (CXCursor C)) \
	F(long long, Cursor_getOffsetOfField, (CXCursor C)) \
	F(unsigned, Cursor_isBitField, (CXCursor C)) \
	F(int, Cursor_isNull, (CXCursor cursor)) \
	F(void, EvalResult_dispose, (CXEvalResult E)) \
	F(long long, EvalResult_getAsLongLong, (CXEvalResult E)) \
	F(const char *, EvalResult_getAsStr, (CXEvalResult E)) \
	F(unsigned long long, EvalResult_getAsUnsigned, (CXEvalResult E)) \
	F(CXEvalResultKind, EvalResult_getKind, (CXEvalResult E)) \
	F(unsigned, EvalResult_isUnsignedInt, (CXEvalResult E)) \
	F(int, File_isEqual, (CXFile file1, CXFile file2)) \
	F(long long, Type_getAlignOf, (CXType T)) \
	F(long long, Type_getSizeOf, (CXType T)) \
	F(unsigned, Type_visitFields, (CXType T, CXFieldVisitor visitor, CXClientData client_data)) \
	F(CXIndex, createIndex, (int excludeDeclarationsFromPCH, int displayDiagnostics)) \
	F(void, disposeDiagnostic, (CXDiagnostic Diagnostic)) \
	F(void, disposeIndex, (CXIndex index)) \
	F(void, disposeSourceRangeList, (CXSourceRangeList *ranges)) \
	F(void, disposeString, (CXString string)) \
	F(void, disposeTokens, (CXTranslationUnit TU, CXToken *Tokens, unsigned NumTokens)) \
	F(void, disposeTranslationUnit, (CXTranslationUnit)) \
	F(unsigned, equalCursors, (CXCursor, CXCursor)) \
	F(CXType, getArgType, (CXType T, unsigned i)) \
	F(CXType, getArrayElementType, (CXType T)) \
	F(long long, getArraySize, (CXType T)) \
	F(const char *, getCString, (CXString string)) \
	F(CXType, getCanonicalType, (CXType T)) \
	F(CXSourceRange, getCursorExtent, (CXCursor)) \
	F(enum CXCursorKind, getCursorKind, (CXCursor)) \
	F(CXSourceLocation, getCursorLocation, (CXCursor)) \
	F(CXCursor, getCursorReferenced, (CXCursor)) \
	F(CXCursor, getCursorSemanticParent, (CXCursor cursor)) \
	F(CXString, getCursorSpelling, (CXCursor)) \
	F(CXType, getCursorType, (CXCursor C)) \
	F(CXDiagnostic, getDiagnostic, (CXTranslationUnit Unit, unsigned Index)) \
	F(CXSourceLocation, getDiagnosticLocation, (CXDiagnostic)) \
	F(CXString, getDiagnosticOption, (CXDiagnostic Diag, CXString *Disable)) \
	F(enum CXDiagnosticSeverity, getDiagnosticSeverity, (CXDiagnostic)) \
	F(CXString, getDiagnosticSpelling, (CXDiagnostic)) \
	F(unsigned long long, getEnumConstantDeclUnsignedValue, (CXCursor C)) \
	F(long long, getEnumConstantDeclValue, (CXCursor C)) \
	F(CXType, getEnumDeclIntegerType, (CXCursor C)) \
	F(void, getExpansionLocation, (CXSourceLocation location, CXFile *file, unsigned *line, unsigned *column, unsigned *offset)) \
	F(int, getFieldDeclBitWidth, (CXCursor C)) \
	F(CXFile, getFile, (CXTranslationUnit tu, const char *file_name)) \
	F(const char *, getFileContents, (CXTranslationUnit tu, CXFile file, size_t *size)) \
	F(CXSourceLocation, getLocationForOffset, (CXTranslationUnit tu, CXFile file, unsigned offset)) \
	F(int, getNumArgTypes, (CXType T)) \
	F(unsigned, getNumDiagnostics, (CXTranslationUnit Unit)) \
	F(CXType, getPointeeType, (CXType T)) \
	F(CXSourceRange, getRange, (CXSourceLocation begin, CXSourceLocation end)) \
	F(CXSourceLocation, getRangeEnd, (CXSourceRange range)) \
	F(CXSourceLocation, getRangeStart, (CXSourceRange range)) \
	F(CXType, getResultType, (CXType T)) \
	F(CXSourceRangeList *, getSkippedRanges, (CXTranslationUnit tu, CXFile file)) \
	F(void, getSpellingLocation, (CXSourceLocation location, CXFile *file, unsigned *line, unsigned *column, unsigned *offset)) \
	F(CXSourceRange, getTokenExtent, (CXTranslationUnit, CXToken)) \
	F(CXTokenKind, getTokenKind, (CXToken)) \
	F(CXSourceLocation, getTokenLocation, (CXTranslationUnit, CXToken)) \
	F(CXString, getTokenSpelling, (CXTranslationUnit, CXToken)) \
	F(CXCursor, getTranslationUnitCursor, (CXTranslationUnit)) \
	F(CXCursor, getTypeDeclaration, (CXType T)) \
	F(CXString, getTypeSpelling, (CXType CT)) \
	F(CXType, getTypedefDeclUnderlyingType, (CXCursor C)) \
	F(unsigned, isConstQualifiedType, (CXType T)) \
	F(unsigned, isCursorDefinition, (CXCursor)) \
	F(unsigned, isFunctionTypeVariadic, (CXType T)) \
	F(unsigned, isRestrictQualifiedType, (CXType T)) \
	F(unsigned, isVolatileQualifiedType, (CXType T)) \
	F(enum CXErrorCode, parseTranslationUnit2, (CXIndex CIdx, const char *source_filename, const char *const *command_line_args, int num_command_line_args, struct CXUnsavedFile *unsaved_files, unsigned num_unsaved_files, unsigned options, CXTranslationUnit *out_TU)) \
	F(void, tokenize, (CXTranslationUnit TU, CXSourceRange Range, CXToken **Tokens, unsigned *NumTokens)) \
	F(unsigned, visitChildren, (CXCursor parent, CXCursorVisitor visitor, CXClientData client_data))

typedef struct Libclang {
/* A declarator: parentheses around the arguments would not be C. */
#define LIBCLANG_SLOT(ret, name, params) ret (*name) params; /* NOLINT(bugprone-macro-parentheses) */
	LIBCLANG_FUNCTIONS(LIBCLANG_SLOT)
#undef LIBCLANG_SLOT
} Libclang;

/* Filled by libclang_load(); read-only once loaded. */
extern Libclang libclang;

#define clang_Cursor_Evaluate (*libclang.Cursor_Evaluate)
#define clang_Cursor_getOffsetOfField (*libclang.Cursor_getOffsetOfField)
#define clang_Cursor_isBitField (*libclang.Cursor_isBitField)
#define clang_Cursor_isNull (*libclang.Cursor_isNull)
#define clang_EvalResult_dispose (*libclang.EvalResult_dispose)
#define clang_EvalResult_getAsLongLong (*libclang.EvalResult_getAsLongLong)
#define clang_EvalResult_getAsStr (*libclang.EvalResult_getAsStr)
#define clang_EvalResult_getAsUnsigned (*libclang.EvalResult_getAsUnsigned)
#define clang_EvalResult_getKind (*libclang.EvalResult_getKind)
#define clang_EvalResult_isUnsignedInt (*libclang.EvalResult_isUnsignedInt)
#define clang_File_isEqual (*libclang.File_isEqual)
#define clang_Type_getAlignOf (*libclang.Type_getAlignOf)
#define clang_Type_getSizeOf (*libclang.Type_getSizeOf)
#define clang_Type_visitFields (*libclang.Type_visitFields)
#define clang_createIndex (*libclang.createIndex)
#define clang_disposeDiagnostic (*libclang.disposeDiagnostic)
#define clang_disposeIndex (*libclang.disposeIndex)
#define clang_disposeSourceRangeList (*libclang.disposeSourceRangeList)
#define clang_disposeString (*libclang.disposeString)
#define clang_disposeTokens (*libclang.disposeTokens)
#define clang_disposeTranslationUnit (*libclang.disposeTranslationUnit)
#define clang_equalCursors (*libclang.equalCursors)
#define clang_getArgType (*libclang.getArgType)
#define clang_getArrayElementType (*libclang.getArrayElementType)
#define clang_getArraySize (*libclang.getArraySize)
#define clang_getCString (*libclang.getCString)
#define clang_getCanonicalType (*libclang.getCanonicalType)
#define clang_getCursorExtent (*libclang.getCursorExtent)
#define clang_getCursorKind (*libclang.getCursorKind)
#define clang_getCursorLocation (*libclang.getCursorLocation)
#define clang_getCursorReferenced (*libclang.getCursorReferenced)
#define clang_getCursorSemanticParent (*libclang.getCursorSemanticParent)
#define clang_getCursorSpelling (*libclang.getCursorSpelling)
#define clang_getCursorType (*libclang.getCursorType)
#define clang_getDiagnostic (*libclang.getDiagnostic)
#define clang_getDiagnosticLocation (*libclang.getDiagnosticLocation)
#define clang_getDiagnosticOption (*libclang.getDiagnosticOption)
#define clang_getDiagnosticSeverity (*libclang.getDiagnosticSeverity)
#define clang_getDiagnosticSpelling (*libclang.getDiagnosticSpelling)
#define clang_getEnumConstantDeclUnsignedValue (*libclang.getEnumConstantDeclUnsignedValue)
#define clang_getEnumConstantDeclValue (*libclang.getEnumConstantDeclValue)
#define clang_getEnumDeclIntegerType (*libclang.getEnumDeclIntegerType)
#define clang_getExpansionLocation (*libclang.getExpansionLocation)
#define clang_getFieldDeclBitWidth (*libclang.getFieldDeclBitWidth)
#define clang_getFile (*libclang.getFile)
#define clang_getFileContents (*libclang.getFileContents)
#define clang_getLocationForOffset (*libclang.getLocationForOffset)
#define clang_getNumArgTypes (*libclang.getNumArgTypes)
#define clang_getNumDiagnostics (*libclang.getNumDiagnostics)
#define clang_getPointeeType (*libclang.getPointeeType)
#define clang_getRange (*libclang.getRange)
#define clang_getRangeEnd (*libclang.getRangeEnd)
#define clang_getRangeStart (*libclang.getRangeStart)
#define clang_getResultType (*libclang.getResultType)
#define clang_getSkippedRanges (*libclang.getSkippedRanges)
#define clang_getSpellingLocation (*libclang.getSpellingLocation)
#define clang_getTokenExtent (*libclang.getTokenExtent)
#define clang_getTokenKind (*libclang.getTokenKind)
#define clang_getTokenLocation (*libclang.getTokenLocation)
#define clang_getTokenSpelling (*libclang.getTokenSpelling)
#define clang_getTranslationUnitCursor (*libclang.getTranslationUnitCursor)
#define clang_getTypeDeclaration (*libclang.getTypeDeclaration)
#define clang_getTypeSpelling (*libclang.getTypeSpelling)
#define clang_getTypedefDeclUnderlyingType (*libclang.getTypedefDeclUnderlyingType)
#define clang_isConstQualifiedType (*libclang.isConstQualifiedType)
#define clang_isCursorDefinition (*libclang.isCursorDefinition)
#define clang_isFunctionTypeVariadic (*libclang.isFunctionTypeVariadic)
#define clang_isRestrictQualifiedType (*libclang.isRestrictQualifiedType)
#define clang_isVolatileQualifiedType (*libclang.isVolatileQualifiedType)
#define clang_parseTranslationUnit2 (*libclang.parseTranslationUnit2)
#define clang_tokenize (*libclang.tokenize)
#define clang_visitChildren (*libclang.visitChildren)

#endif /* HAVE_LIBCLANG */

#endif
