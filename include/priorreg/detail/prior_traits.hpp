#ifndef PRIORREG_DETAIL_PRIOR_TRAITS_HPP
#define PRIORREG_DETAIL_PRIOR_TRAITS_HPP

/// \file prior_traits.hpp
/// \brief Compile-time reading of a prior policy: its family and whether it satisfies the
/// contract the solvers rely on.

#include <Eigen/Core>
#include <type_traits>
#include <utility>

#include "../priors/penalty_parameters.hpp"

namespace priorreg::detail {

template <class Prior, class = void> struct prior_family {
    static constexpr PriorFamily value = PriorFamily::custom;
};
template <class Prior> struct prior_family<Prior, std::void_t<decltype(Prior::family)>> {
    static constexpr PriorFamily value = Prior::family;
};
template <class Prior> inline constexpr PriorFamily prior_family_v = prior_family<Prior>::value;

template <class Prior, class = void> struct has_free_mixing : std::false_type {};
template <class Prior>
struct has_free_mixing<Prior, std::void_t<decltype(Prior::free_mixing)>>
    : std::bool_constant<Prior::free_mixing> {};

/// True when `Prior` provides every member of the separable-prior contract (see
/// `map_regression.hpp`), checked with the compute scalar `T`.
template <class Prior, class T, class = void> struct is_separable_prior : std::false_type {};
template <class Prior, class T>
struct is_separable_prior<
    Prior, T,
    std::void_t<
        typename Prior::Scalar, decltype(std::declval<const Prior&>().penalty(T(), T(), T())),
        decltype(std::declval<const Prior&>().proximal_step(T(), T(), T(), T())),
        decltype(std::declval<const Prior&>().conjugate(T(), T(), T())),
        decltype(std::declval<const Prior&>().dual_scale(T(), T(), T())),
        decltype(std::declval<const Prior&>().zero_threshold(T())),
        decltype(std::declval<const Prior&>().log_density(
            std::declval<const Eigen::Matrix<typename Prior::Scalar, Eigen::Dynamic, 1>&>())),
        decltype(std::declval<const Prior&>().penalty_parameters(
            std::declval<typename Prior::Scalar>(), std::declval<typename Prior::Scalar>()))>>
    : std::true_type {};

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_PRIOR_TRAITS_HPP
