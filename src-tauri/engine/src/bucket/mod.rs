//! Buckets: names, types (access), storage classes, creation and deletion.

mod access;
mod class;
mod manage;
mod model;
mod name;
mod policy;
pub mod records;

pub use access::{object_acl_for, read_type, write_type};
pub use class::{CLASS_TAG, object_class, read_class_tag, tag_class};
pub use manage::{create_bucket, delete_bucket, read_website, write_website};
pub use model::{
    AccessSupport, BucketInfo, BucketSummary, BucketType, ClassSource, CreateBucketRequest, StorageClass, Website,
};
pub use name::{BucketNameProblem, check_bucket_name};
pub use policy::{policy_for_type, type_of_policy};
