#ifndef PRIORREG_FIT_STREAM_DESIGN_HPP
#define PRIORREG_FIT_STREAM_DESIGN_HPP

/// \file stream_design.hpp
/// \brief The design of `priorreg-fit --stream`: a CSV file read chunk by chunk into
/// `priorreg::SufficientStatistics`, never whole.
///
/// Each chunk is checked and encoded as `build_design` does for a whole file (the same roles,
/// the same checks, errors with the file's line numbers), then added to the statistics and
/// dropped. Errors come in file order, chunk by chunk: a missing value early in the file is
/// reported before a malformed row further on, where the whole-file reader, which parses
/// everything first, reports the malformed row.
/// Memory: the statistics (p x p, once per fold) and two chunks (the next one is read while
/// the current one is added). Features must be numeric (a
/// text column's levels would need the whole file). With folds, the k-th row that enters the
/// fit (0-based, after `--na drop`) is in fold `SufficientStatistics::fold_of(k, folds, seed)`,
/// whatever the chunk size.

#include <cstdint>
#include <future>
#include <string>
#include <utility>

#include <priorreg/sufficient_statistics.hpp>

#include "csv_chunks.hpp"
#include "design.hpp"

namespace priorreg_fit {

/// The design of the file `reader` reads, its rows summarized (`Design::statistics`, with
/// `folds` folds seeded by `seed`; 1: none). `request.foldid` must be empty (a fold column's
/// labels would need the whole file); `request.chunk` is set here.
inline Design stream_design(CsvChunkReader& reader, DesignRequest request, int folds,
                            std::uint64_t seed) {
    if (!request.foldid.empty())
        throw DataError("--stream: fold ids from a column are not available (their labels "
                        "need the whole file); --cv K folds the rows by a seeded hash");
    request.chunk = true;
    // The header alone settles the roles of the columns and the terms.
    Design d = build_design(reader.header(), request);
    d.statistics.emplace(static_cast<Eigen::Index>(d.terms.size()), folds, seed);
    // Two chunks in flight: a second thread reads and parses the next chunk while this one
    // checks, encodes and adds the current one (about equal shares of the time).
    CsvTable current, next;
    bool more = reader.next(current);
    while (more) {
        auto pending =
            std::async(std::launch::async, [&reader, &next] { return reader.next(next); });
        const Design part = build_design(current, request);
        d.rows_dropped += part.rows_dropped;
        if (part.X.rows() > 0)
            d.weighted ? d.statistics->add(part.X, part.y, part.w)
                       : d.statistics->add(part.X, part.y);
        more = pending.get();
        std::swap(current, next);
    }
    design_detail::check_design_rows(
        reader.header().source, static_cast<std::size_t>(d.statistics->rows()), d.rows_dropped,
        d.weighted ? request.weights : "", d.statistics->cross_products().weight);
    return d;
}

} // namespace priorreg_fit

#endif // PRIORREG_FIT_STREAM_DESIGN_HPP
