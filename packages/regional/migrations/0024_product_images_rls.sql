-- Custom migration: product images (specs/catalog.md) are tenant data under the usual policy: admins'
-- requests and the thumbnail worker write them in the tenant's transaction.
SELECT keel_isolate_tenant_table('product_images');
